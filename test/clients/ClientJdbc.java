/*
 * maslihat through the PostgreSQL JDBC driver (Debian's
 * libpostgresql-jdbc-java), in text and in binary transfer.
 *
 * Run by test/sh/clients_jdbc.sh, compiled at test time:
 *
 *     java -cp DIR:/usr/share/java/postgresql.jar ClientJdbc ANSWERS_DIR URL USER
 *
 * URL is jdbc:postgresql://127.0.0.1:PORT/DATABASE of a database that holds
 * test/clients/fixture.sql.  ANSWERS_DIR holds each query of
 * test/clients/queries.sql as NAME.sql and psql's answer as NAME.out (psql
 * -X -A -t, NULL shown as \N).  Every query runs three times: in text
 * transfer, in binary transfer (prepareThreshold=-1), and in binary transfer
 * with bool and the tally type added to binaryTransferEnable.  Each value is read
 * with the getter its column's type calls for (getLong, getInt,
 * getBigDecimal, getBoolean, getString) and must print as psql prints it;
 * getString and getObject are checked too.  With TRAILERS=1 (a 0.2.0
 * server), a tally with the trailer (blank, issued, parts, provisional) read
 * in binary is byte for byte the specification's.  Ends with "N passed, M
 * failed".
 */

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGResultSetMetaData;

public class ClientJdbc
{
	static int passed = 0;
	static int failed = 0;

	static void check(String what, boolean ok, String detail)
	{
		if (ok)
			passed++;
		else
		{
			failed++;
			System.out.println("FAILED: " + what + (detail.isEmpty() ? "" : ": " + detail));
		}
	}

	/* outcome()'s 17 columns and their types, in order (README, "The rules"). */
	static final String[][] OUTCOME_COLUMNS = {
		{"winner", "int8"}, {"winner_votes", "int8"}, {"runner_up", "int8"},
		{"runner_up_votes", "int8"}, {"margin", "int8"}, {"valid_votes", "int8"},
		{"invalid", "int8"}, {"cast", "int8"}, {"registered", "int8"},
		{"turnout", "numeric"}, {"valid", "bool"}, {"tie", "bool"},
		{"by_election", "bool"}, {"reason", "text"}, {"leader", "int8"},
		{"candidates", "int4"}, {"drawn", "bool"},
	};

	/* The Java class getObject returns for each type. */
	static final Map<String, Class<?>> OBJECT_CLASS = new LinkedHashMap<>();
	static
	{
		OBJECT_CLASS.put("int8", Long.class);
		OBJECT_CLASS.put("int4", Integer.class);
		OBJECT_CLASS.put("numeric", BigDecimal.class);
		OBJECT_CLASS.put("bool", Boolean.class);
		OBJECT_CLASS.put("text", String.class);
		/* types the driver does not know arrive as PGobject */
		OBJECT_CLASS.put("tally", org.postgresql.util.PGobject.class);
		OBJECT_CLASS.put("fptp_outcome", org.postgresql.util.PGobject.class);
		OBJECT_CLASS.put("jsonb", org.postgresql.util.PGobject.class);
	}

	/* A value read with its type's getter, as psql -A prints it. */
	static String typedText(ResultSet rs, int i, String type) throws SQLException
	{
		String s;
		switch (type)
		{
			case "int8":
				{
					long v = rs.getLong(i);
					s = Long.toString(v);
					break;
				}
			case "int4":
				{
					int v = rs.getInt(i);
					s = Integer.toString(v);
					break;
				}
			case "numeric":
				{
					BigDecimal v = rs.getBigDecimal(i);
					s = v == null ? null : v.toPlainString();
					break;
				}
			case "bool":
				{
					boolean v = rs.getBoolean(i);
					s = v ? "t" : "f";
					break;
				}
			default:
				s = rs.getString(i);
		}
		return rs.wasNull() ? "\\N" : s;
	}

	/* One run of every query on one connection. */
	static void runAll(String mode, Connection conn, Path answers, List<String> names,
					   boolean binary, boolean binaryMore) throws Exception
	{
		for (String name : names)
		{
			String sql = Files.readString(answers.resolve(name + ".sql"));
			List<String> expected = Files.readAllLines(answers.resolve(name + ".out"));
			/* twice, so that the second run uses the prepared statement */
			for (int run = 1; run <= 2; run++)
			{
				try (PreparedStatement ps = conn.prepareStatement(sql);
					 ResultSet rs = ps.executeQuery())
				{
					compare(mode + " " + name + (run == 2 ? " (again)" : ""), rs, expected, binary, binaryMore,
							name.equals("outcome_ballots") && run == 1);
				}
			}
		}
	}

	static void compare(String what, ResultSet rs, List<String> expected, boolean binary,
						boolean binaryMore, boolean describe) throws Exception
	{
		ResultSetMetaData md = rs.getMetaData();
		PGResultSetMetaData pgmd = md.unwrap(PGResultSetMetaData.class);
		int n = md.getColumnCount();
		String[] types = new String[n + 1];
		int badFormat = 0;
		StringBuilder formats = new StringBuilder();

		for (int i = 1; i <= n; i++)
		{
			types[i] = md.getColumnTypeName(i);
			int format = pgmd.getFormat(i);
			/*
			 * In binary transfer the driver 42.5 asks for binary int8, int4
			 * and numeric; bool, text, jsonb and the extension's types stay
			 * in text unless added to binaryTransferEnable, as the third
			 * connection adds bool and tally.
			 */
			boolean binaryType = Arrays.asList("int8", "int4", "numeric").contains(types[i]) ||
				(binaryMore && Arrays.asList("bool", "tally").contains(types[i]));
			int want = binary && binaryType ? 1 : 0;
			formats.append(i > 1 ? " " : "").append(md.getColumnName(i)).append('=').append(format);
			if (format != want)
				badFormat++;
		}
		check(what + ": columns in " + (binary ? "binary" : "text") + " transfer where expected",
			  badFormat == 0, formats.toString());

		if (describe)
		{
			System.out.println("columns of outcome_ballots, " + what.split(" ")[0] +
							   " transfer (name, type, getColumnClassName, wire format):");
			for (int i = 1; i <= n; i++)
				System.out.printf("  %-16s %-8s %-20s %s%n", md.getColumnName(i), types[i],
								  md.getColumnClassName(i), pgmd.getFormat(i) == 1 ? "binary" : "text");
			StringBuilder cols = new StringBuilder();
			for (int i = 3; i <= n; i++)
			{
				String[] want = OUTCOME_COLUMNS[i - 3];
				if (!md.getColumnName(i).equals(want[0]) || !types[i].equals(want[1]))
					cols.append(md.getColumnName(i)).append(' ').append(types[i]).append("; ");
			}
			check(what + ": the 17 columns of outcome() with their types",
				  n == 19 && cols.length() == 0, cols.toString());
		}

		int rows = 0;
		int bad = 0;
		while (rs.next())
		{
			rows++;
			if (rows > expected.size())
				continue;
			String[] fields = expected.get(rows - 1).split("\\|", -1);
			if (fields.length != n)
			{
				bad++;
				System.out.println("  " + what + " row " + rows + ": " + n + " columns, psql has " + fields.length);
				continue;
			}
			for (int i = 1; i <= n; i++)
			{
				String psql = fields[i - 1];
				boolean tallyBytes = binaryMore && types[i].equals("tally");
				String typed = tallyBytes ? null : typedText(rs, i, types[i]);
				String str = rs.getString(i);
				Object obj = rs.getObject(i);
				Class<?> wantClass = OBJECT_CLASS.get(types[i]);
				boolean ok;

				if (tallyBytes)
				{
					/* the wire form, decoded here, has the text form's numbers */
					byte[] b = rs.getBytes(i);
					ok = psql.equals("\\N") ? b == null : b != null && decodeTally(b).equals(parseTallyText(psql));
					typed = b == null ? "\\N" : decodeTally(b).toString();
				}
				else
				{
					/* getString of a bool read in binary is "true" or "false", not psql's t or f */
					String wantStr = psql;
					if (types[i].equals("bool") && pgmd.getFormat(i) == 1)
						wantStr = psql.equals("t") ? "true" : psql.equals("f") ? "false" : psql;
					ok = typed.equals(psql) &&
						(psql.equals("\\N") ? str == null && obj == null
						 : str.equals(wantStr) && wantClass != null && wantClass.isInstance(obj));
					/* a type the driver does not know: a PGobject named for it, holding the text form */
					if (ok && obj instanceof org.postgresql.util.PGobject)
						ok = ((org.postgresql.util.PGobject) obj).getType().equals(types[i]) &&
							psql.equals(((org.postgresql.util.PGobject) obj).getValue());
				}
				if (!ok)
				{
					bad++;
					System.out.println("  " + what + " row " + rows + " " + md.getColumnName(i) + " (" + types[i] +
									   "): getter " + typed + ", getString " + str + ", getObject " +
									   (obj == null ? "null" : obj.getClass().getName() + " " + obj) +
									   "; psql " + psql);
				}
			}
		}
		check(what + ": " + expected.size() + " rows as psql", rows == expected.size(), "got " + rows);
		check(what + ": every value equals psql's", bad == 0, bad + " values differ");
	}

	/*
	 * A tally's numbers: registered, issued (null if unknown), cast, invalid,
	 * blank (0 when invalid is 0, else null if unknown), parts, provisional,
	 * then candidate:votes pairs.
	 */
	static final Pattern FIELD = Pattern.compile("(registered|issued|cast|invalid|blank|votes|parts|provisional)=(\\{[^}]*\\}|\\S+)");

	static List<Object> parseTallyText(String text)
	{
		Map<String, String> f = new LinkedHashMap<>();
		Matcher m = FIELD.matcher(text);
		while (m.find())
			f.put(m.group(1), m.group(2));
		List<Object> t = new ArrayList<>();
		long invalid = Long.parseLong(f.getOrDefault("invalid", "0"));
		t.add(f.containsKey("registered") ? Long.valueOf(f.get("registered")) : null);
		t.add(f.containsKey("issued") ? Long.valueOf(f.get("issued")) : null);
		t.add(Long.valueOf(f.get("cast")));
		t.add(invalid);
		t.add(invalid == 0 ? Long.valueOf(0) : f.containsKey("blank") ? Long.valueOf(f.get("blank")) : null);
		t.add(Long.valueOf(f.getOrDefault("parts", "0")));
		t.add(Long.valueOf(f.getOrDefault("provisional", "0")));
		String votes = f.getOrDefault("votes", "{}");
		for (String pair : votes.substring(1, votes.length() - 1).split(","))
		{
			if (pair.isEmpty())
				continue;
			String[] cv = pair.split(":");
			t.add(Long.valueOf(cv[0]));
			t.add(Long.valueOf(cv[1]));
		}
		return t;
	}

	/*
	 * The binary wire form (README, "Type tally"), number keys: big-endian
	 * version, flags, counts, pairs, then the trailer (int64 blank if flag
	 * 0x04, int64 issued if 0x08, int64 parts and provisional if 0x10).
	 */
	static List<Object> decodeTally(byte[] b)
	{
		ByteBuffer buf = ByteBuffer.wrap(b);
		int version = buf.get() & 0xff;
		int flags = buf.get() & 0xff;
		long registered = buf.getLong();
		long cast = buf.getLong();
		long invalid = buf.getLong();
		long n = buf.getInt() & 0xffffffffL;
		int trailer = ((flags & 0x04) != 0 ? 8 : 0) + ((flags & 0x08) != 0 ? 8 : 0) + ((flags & 0x10) != 0 ? 16 : 0);
		if (version != 1 || (flags & ~0x1d) != 0 || b.length != 30 + 16 * n + trailer)
			throw new IllegalArgumentException("bad tally: version " + version + ", flags " + flags +
											   ", " + b.length + " bytes for " + n + " candidates");
		List<Object> pairs = new ArrayList<>();
		for (long i = 0; i < n; i++)
		{
			pairs.add(buf.getLong());
			pairs.add(buf.getLong());
		}
		Long blank = (flags & 0x04) != 0 ? Long.valueOf(buf.getLong()) : invalid == 0 ? Long.valueOf(0) : null;
		Long issued = (flags & 0x08) != 0 ? Long.valueOf(buf.getLong()) : null;
		long parts = (flags & 0x10) != 0 ? buf.getLong() : 0;
		long provisional = (flags & 0x10) != 0 ? buf.getLong() : 0;
		List<Object> t = new ArrayList<>();
		t.add((flags & 1) != 0 ? Long.valueOf(registered) : null);
		t.add(issued);
		t.add(cast);
		t.add(invalid);
		t.add(blank);
		t.add(parts);
		t.add(provisional);
		t.addAll(pairs);
		return t;
	}

	static Connection connect(String url, String user, String... settings) throws SQLException
	{
		Properties p = new Properties();
		p.setProperty("user", user);
		for (int i = 0; i < settings.length; i += 2)
			p.setProperty(settings[i], settings[i + 1]);
		return DriverManager.getConnection(url, p);
	}

	public static void main(String[] args) throws Exception
	{
		Path answers = Path.of(args[0]);
		String url = args[1];
		String user = args[2];
		List<String> names = Arrays.asList(Files.readString(answers.resolve("names")).trim().split("\\s+"));

		String tallyOid;
		try (Connection c = connect(url, user);
			 ResultSet rs = c.createStatement().executeQuery("SELECT 'tally'::regtype::oid"))
		{
			rs.next();
			tallyOid = rs.getString(1);
		}

		try (Connection c = connect(url, user, "binaryTransfer", "false", "prepareThreshold", "0"))
		{
			runAll("text", c, answers, names, false, false);
		}
		try (Connection c = connect(url, user, "binaryTransfer", "true", "prepareThreshold", "-1"))
		{
			runAll("binary", c, answers, names, true, false);
		}
		try (Connection c = connect(url, user, "binaryTransfer", "true", "prepareThreshold", "-1",
									"binaryTransferEnable", "16," + tallyOid))
		{
			runAll("binary+tally", c, answers, names, true, true);

			/* what getObject gives for ranking's columns */
			try (PreparedStatement ps = c.prepareStatement("SELECT r.* FROM constituency_tally ct, ranking(ct.t) r WHERE ct.id = 3");
				 ResultSet rs = ps.executeQuery())
			{
				while (rs.next())
				{
					StringBuilder row = new StringBuilder("ranking row of constituency 3, getObject:");
					for (int i = 1; i <= 4; i++)
						row.append(' ').append(rs.getMetaData().getColumnName(i)).append('=')
							.append(rs.getObject(i)).append(" (").append(rs.getObject(i).getClass().getSimpleName()).append(')');
					System.out.println(row);
				}
			}

			/* the tally of constituency 6 in its binary form, as getBytes gives it */
			try (PreparedStatement ps = c.prepareStatement("SELECT t FROM constituency_tally WHERE id = 6");
				 ResultSet rs = ps.executeQuery())
			{
				rs.next();
				byte[] wire = rs.getBytes(1);
				StringBuilder hex = new StringBuilder();
				for (byte x : wire)
					hex.append(String.format("%02x", x));
				System.out.println("binary form of constituency 6's tally: " + hex);
				/* what a tally read in binary gives the other getters */
				Object obj = rs.getObject(1);
				System.out.println("tally in binary transfer: getString " + rs.getString(1) + ", getObject " +
								   (obj == null ? "null" : obj.getClass().getName() + " with getValue " +
									((org.postgresql.util.PGobject) obj).getValue()));
				check("binary form of constituency 6 byte by byte",
					  hex.toString().equals("0101" + "0020000000000001" + "0010000000000001" + "0000000000000001" +
											"00000002" + "000000000000003d" + "000bffffffffff08" +
											"000000000000003e" + "00040000000000f8"), hex.toString());
			}

			/* a tally with the trailer (0.2.0) in its binary form */
			if ("1".equals(System.getenv("TRAILERS")))
			{
				String text = "registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1";
				try (PreparedStatement ps = c.prepareStatement("SELECT ?::text::tally"))
				{
					ps.setString(1, text);
					try (ResultSet rs = ps.executeQuery())
					{
						rs.next();
						byte[] wire = rs.getBytes(1);
						StringBuilder hex = new StringBuilder();
						for (byte x : wire)
							hex.append(String.format("%02x", x));
						System.out.println("binary form of " + text + ": " + hex);
						check("binary form of a tally with the trailer byte by byte (flags 0x1d; blank, issued, parts, provisional)",
							  hex.toString().equals("011d" + "00000000000003e8" + "000000000000026c" + "0000000000000003" +
													"00000002" + "0000000000000011" + "000000000000012c" +
													"000000000000002a" + "000000000000013d" +
													"0000000000000001" + "0000000000000271" +
													"0000000000000001" + "0000000000000001"), hex.toString());
						check("a tally with the trailer read in binary has its text form's numbers",
							  decodeTally(wire).equals(parseTallyText(text)), decodeTally(wire) + " / " + parseTallyText(text));
					}
				}
			}
		}
		System.out.println(passed + " passed, " + failed + " failed");
		System.exit(failed == 0 ? 0 : 1);
	}
}

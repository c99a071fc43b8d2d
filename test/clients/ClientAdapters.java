/*
 * The maslihat Java classes (clients/java) with pgjdbc against a running
 * server.  Run by test/sh/clients_jdbc.sh as
 *
 *	 java -cp CLASSES:maslihat.jar:postgresql.jar ClientAdapters JDBC_URL USER PSQL
 *
 * on a database that holds fixture.sql and edge.sql (edge_text.sql too when
 * TEXT_KEYS=1, edge_trailer.sql when TRAILERS=1).  In text transfer and in
 * binary transfer (checked with
 * getBytes): every tally, tally[], fptp_outcome and election_summary arrives
 * as the package's value equal to psql's answer; every tally goes back with
 * setObject and through binary COPY and the server finds it equal to its
 * own; maslihat_level reads with Level.of(getString).  Then what pgjdbc does
 * without the classes, and the codecs against byte strings built from the
 * specification.  With TRAILERS=1: the trailer fields (0.2.0) of edge rows
 * 201, 202, 203, 206 and 207, and texts and byte strings with a trailer, good
 * and bad, that the package and the server must read alike (the same text
 * back, or both refusing).  Ends with "N passed, M failed".
 */

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import maslihat.Composite;
import maslihat.Level;
import maslihat.LevelObject;
import maslihat.Maslihat;
import maslihat.Tally;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PGobject;

public class ClientAdapters
{
	static int passed = 0, failed = 0;
	static String url, user, psqlPath;
	static final boolean TRAILERS = "1".equals(System.getenv("TRAILERS"));

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

	static void check(String what, boolean ok)
	{
		check(what, ok, "");
	}

	/* psql's unaligned rows, NULL as null. */
	static List<String[]> psql(String sql) throws IOException, InterruptedException
	{
		Process p = new ProcessBuilder(psqlPath, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-P", "null=\\N",
									   "-F", "\u001f", "-c", sql).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (p.waitFor() != 0)
			throw new IOException("psql failed: " + out);
		List<String[]> rows = new ArrayList<>();
		for (String line : out.split("\n"))
		{
			if (line.isEmpty())
				continue;
			String[] f = line.split("\u001f", -1);
			for (int i = 0; i < f.length; i++)
				if (f[i].equals("\\N"))
					f[i] = null;
			rows.add(f);
		}
		return rows;
	}

	static String asPsql(Object v)
	{
		if (v == null)
			return null;
		if (v instanceof Boolean)
			return (Boolean) v ? "t" : "f";
		if (v instanceof BigDecimal)
			return ((BigDecimal) v).toPlainString();
		return v.toString();
	}

	static Connection connect(boolean binary) throws SQLException
	{
		Properties p = new Properties();
		p.setProperty("user", user);
		p.setProperty("binaryTransfer", Boolean.toString(binary));
		p.setProperty("prepareThreshold", "-1");	// binary from the first execution
		return DriverManager.getConnection(url, p);
	}

	static List<String[]> edge;
	static List<Tally> edgeTallies = new ArrayList<>();
	static List<String[]> outcomePsql, summaryPsql, edgeOutcomePsql;
	/* constituency 1's outcome as a record literal with one more field */
	static String outcomePlus;
	static List<String> outcomeFields = new ArrayList<>(), summaryFields = new ArrayList<>();

	static void withAdapter(boolean binary) throws Exception
	{
		String label = "pgjdbc " + (binary ? "binary" : "text") + " transfer";
		try (Connection c = connect(binary))
		{
			Maslihat.registerTypes(c, binary);
			try (PreparedStatement ps = c.prepareStatement("SELECT id, t FROM edge ORDER BY id");
				 ResultSet rs = ps.executeQuery())
			{
				int i = 0, bad = 0, inBinary = 0;
				while (rs.next())
				{
					Object v = rs.getObject("t");
					String want = edge.get(i++)[1];
					if (!(want == null ? v == null : v instanceof Tally && v.toString().equals(want)))
					{
						bad++;
						System.out.println("  " + label + " edge " + rs.getInt(1) + ": " + v + ", psql " + want);
					}
					byte[] raw = rs.getBytes("t");
					if (raw != null && raw[0] == 1)
						inBinary++;
				}
				check(label + ": " + edge.size() + " edge tallies arrive as Tally equal to psql's", bad == 0 && i == edge.size());
				check(label + ": tallies were " + (binary ? "" : "not ") + "transferred in binary",
					  binary ? inBinary == edge.size() - 1 : inBinary == 0, inBinary + " in binary");
			}
			if (TRAILERS)
				edgeTrailers(c, label);
			try (PreparedStatement ps = c.prepareStatement("SELECT array_agg(t ORDER BY id) FROM edge");
				 ResultSet rs = ps.executeQuery())
			{
				rs.next();
				Object[] arr = (Object[]) rs.getArray(1).getArray();
				check(label + ": tally[] arrives as an array of Tally and null", Arrays.asList(arr).equals(edgeTallies),
					  Arrays.toString(arr));
			}
			List<Composite> outcomes = new ArrayList<>();
			try (PreparedStatement ps = c.prepareStatement(
					 "SELECT id, outcome(t, registered, 'kz1994') AS o FROM constituency_tally ORDER BY id");
				 ResultSet rs = ps.executeQuery())
			{
				int bad = 0, i = 0;
				while (rs.next())
				{
					Composite o = (Composite) rs.getObject("o");
					outcomes.add(o);
					List<String> got = new ArrayList<>();
					got.add(Integer.toString(rs.getInt("id")));
					for (Object v : o.asMap().values())
						got.add(asPsql(v));
					if (!o.names().equals(outcomeFields) || !got.equals(Arrays.asList(outcomePsql.get(i))))
					{
						bad++;
						System.out.println("  " + label + " outcome: " + got + ", psql " + Arrays.toString(outcomePsql.get(i)));
					}
					i++;
				}
				check(label + ": fptp_outcome arrives as a Composite with the catalog's " + outcomeFields.size()
					  + " fields, each equal to psql's", bad == 0 && i == outcomePsql.size());
				Composite six = outcomes.get(5);
				check(label + ": bigint fields are Long (9007199254740993 exact), numeric BigDecimal",
					  six.getLong("registered") == 9007199254740993L
					  && six.getBigDecimal("turnout").equals(new BigDecimal("50.0000000000000056")), six.toString());
			}
			try (PreparedStatement ps = c.prepareStatement(
					 "SELECT id, outcome(t, 'none') FROM edge WHERE t IS NOT NULL ORDER BY id");
				 ResultSet rs = ps.executeQuery())
			{
				int bad = 0, i = 0;
				while (rs.next())
				{
					List<String> got = new ArrayList<>();
					got.add(Integer.toString(rs.getInt(1)));
					for (Object v : ((Composite) rs.getObject(2)).asMap().values())
						got.add(asPsql(v));
					if (i >= edgeOutcomePsql.size() || !got.equals(Arrays.asList(edgeOutcomePsql.get(i))))
					{
						bad++;
						System.out.println("  " + label + " edge outcome: " + got);
					}
					i++;
				}
				check(label + ": the edge tallies' outcomes (text keys too) equal psql's", bad == 0 && i == edgeOutcomePsql.size());
			}
			try (PreparedStatement ps = c.prepareStatement(
					 "SELECT election_summary(t, registered, 'kz1994') FROM constituency_tally");
				 ResultSet rs = ps.executeQuery())
			{
				rs.next();
				Composite s = (Composite) rs.getObject(1);
				List<String> got = new ArrayList<>();
				for (Object v : s.asMap().values())
					got.add(asPsql(v));
				check(label + ": election_summary arrives with its fields equal to psql's",
					  s.names().equals(summaryFields) && got.equals(Arrays.asList(summaryPsql.get(0))), s.toString());
			}
			try (PreparedStatement ps = c.prepareStatement(
					 "SELECT 'city'::maslihat_level, ?::maslihat_level < 'regional', ? = 'district'::maslihat_level"))
			{
				ps.setObject(1, new LevelObject(Level.CITY));
				ps.setObject(2, new LevelObject(Level.DISTRICT));
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					check(label + ": maslihat_level reads with Level.of(getString) and a LevelObject is sent as one",
						  Level.of(rs.getString(1)) == Level.CITY && rs.getBoolean(2) && rs.getBoolean(3));
					check(label + ": pgjdbc's getObject of a maslihat_level is a String even when registered",
						  rs.getObject(1) instanceof String, String.valueOf(rs.getObject(1)));
				}
			}
			int bad = 0;
			try (PreparedStatement ps = c.prepareStatement(
					 "SELECT ?::text, e.t IS NOT DISTINCT FROM ? FROM edge e WHERE id = ?"))
			{
				for (int i = 0; i < edge.size(); i++)
				{
					Tally t = edgeTallies.get(i);
					if (t == null)
					{
						ps.setNull(1, java.sql.Types.OTHER);
						ps.setNull(2, java.sql.Types.OTHER);
					}
					else
					{
						ps.setObject(1, t);
						ps.setObject(2, t);
					}
					ps.setInt(3, Integer.parseInt(edge.get(i)[0]));
					try (ResultSet rs = ps.executeQuery())
					{
						rs.next();
						String want = t == null ? null : t.toString();
						if (!rs.getBoolean(2) || !java.util.Objects.equals(rs.getString(1), want))
						{
							bad++;
							System.out.println("  " + label + " sent " + t + ": " + rs.getString(1) + " " + rs.getBoolean(2));
						}
					}
				}
			}
			check(label + ": every edge tally sent back with setObject (no cast) equals the server's", bad == 0);
			// a column added to fptp_outcome (as 0.2.0 adds some) appears by its name
			c.setAutoCommit(false);
			try (Statement st = c.createStatement())
			{
				st.execute("ALTER TYPE fptp_outcome ADD ATTRIBUTE extra_share numeric");
				Maslihat.registerTypes(c, binary);
				try (PreparedStatement ps = c.prepareStatement("SELECT ?::text::fptp_outcome"))
				{
					ps.setString(1, outcomePlus);
					ResultSet rs = ps.executeQuery();
					rs.next();
					Composite o = (Composite) rs.getObject(1);
					check(label + ": a column added to fptp_outcome arrives by its name",
						  o.getBigDecimal("extra_share").equals(new BigDecimal("60.5")), o.toString());
				}
			}
			c.rollback();
			Maslihat.registerTypes(c, binary);
		}
	}

	/* The trailer fields of edge rows 201, 202, 203, 206 and 207 as getObject reads them. */
	static void edgeTrailers(Connection c, String label) throws SQLException
	{
		Map<Integer, Tally> got = new LinkedHashMap<>();
		try (PreparedStatement ps = c.prepareStatement("SELECT id, t FROM edge WHERE id IN (201, 202, 203, 206, 207) ORDER BY id");
			 ResultSet rs = ps.executeQuery())
		{
			while (rs.next())
				got.put(rs.getInt(1), (Tally) rs.getObject(2));
		}
		Tally t = got.get(201);
		check(label + ": edge 201 has blank 1, issued 625, parts 1, provisional 1",
			  t != null && t.getBlank() == 1L && t.getIssued() == 625L && t.getParts() == 1 && t.getProvisional() == 1
			  && t.getRegistered() == 1000L && t.getInvalid() == 3, String.valueOf(t));
		t = got.get(202);
		check(label + ": edge 202 has blank 3, issued unknown (null), parts 0 (no parts mark)",
			  t != null && t.getBlank() == 3L && t.getIssued() == null && t.getParts() == 0 && t.getProvisional() == 0,
			  String.valueOf(t));
		t = got.get(203);
		check(label + ": edge 203 has issued 9223372036854775807 exact, blank 0 known (invalid 0)",
			  t != null && t.getIssued() == Long.MAX_VALUE && Long.valueOf(0).equals(t.getBlank()) && t.getInvalid() == 0
			  && t.getRegistered() == null && t.getCast() == 9007199254740993L, String.valueOf(t));
		t = got.get(206);
		check(label + ": edge 206 has parts 2, provisional 0 (final), blank 0, issued unknown",
			  t != null && t.getParts() == 2 && t.getProvisional() == 0 && Long.valueOf(0).equals(t.getBlank())
			  && t.getIssued() == null && t.getVotes().isEmpty(), String.valueOf(t));
		t = got.get(207);
		check(label + ": edge 207 has blank 0 known (invalid 12), issued 452, parts 3, provisional 2, text keys",
			  t != null && Long.valueOf(0).equals(t.getBlank()) && t.getIssued() == 452L && t.getParts() == 3
			  && t.getProvisional() == 2 && "text".equals(t.getKeyKind()) && t.getVotes().get("Жасыл") == 240L,
			  String.valueOf(t));
	}

	static byte[] copyStream(List<Tally> tallies, List<String[]> ids) throws IOException
	{
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
		out.writeInt(0);
		out.writeInt(0);
		for (int i = 0; i < tallies.size(); i++)
		{
			out.writeShort(2);
			out.writeInt(4);
			out.writeInt(Integer.parseInt(ids.get(i)[0]));
			Tally t = tallies.get(i);
			if (t == null)
				out.writeInt(-1);
			else
			{
				byte[] b = t.toBinary();
				out.writeInt(b.length);
				out.write(b);
			}
		}
		out.writeShort(-1);
		return bytes.toByteArray();
	}

	static void binaryCopy() throws Exception
	{
		try (Connection c = connect(true))
		{
			CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
			ByteArrayOutputStream buf = new ByteArrayOutputStream();
			copy.copyOut("COPY (SELECT t FROM edge ORDER BY id) TO STDOUT (FORMAT binary)", buf);
			ByteBuffer b = ByteBuffer.wrap(buf.toByteArray());
			b.position(11);
			b.getInt();	// flags
			int extension = b.getInt();
			b.position(b.position() + extension);
			List<Tally> got = new ArrayList<>();
			while (b.getShort() != -1)
			{
				int len = b.getInt();
				if (len < 0)
				{
					got.add(null);
					continue;
				}
				byte[] field = new byte[len];
				b.get(field);
				got.add(Tally.fromBinary(field));
			}
			check("pgjdbc binary COPY TO: every tally decodes with Tally.fromBinary to psql's", got.equals(edgeTallies),
				  got.toString());
			try (Statement st = c.createStatement())
			{
				st.execute("CREATE TEMP TABLE sent (id int, t tally)");
				copy.copyIn("COPY sent FROM STDIN (FORMAT binary)", new ByteArrayInputStream(copyStream(edgeTallies, edge)));
				try (ResultSet rs = st.executeQuery(
						 "SELECT count(*) FROM sent s JOIN edge e USING (id) WHERE s.t IS NOT DISTINCT FROM e.t"))
				{
					rs.next();
					check("pgjdbc binary COPY FROM: tallies from Tally.toBinary equal the server's", rs.getInt(1) == edge.size());
				}
			}
		}
	}

	static void withoutAdapter() throws Exception
	{
		long tallyOid, arrayOid;
		try (Connection c = connect(true); Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery("SELECT oid::int8, typarray::int8 FROM pg_type WHERE oid = 'tally'::regtype"))
		{
			rs.next();
			tallyOid = rs.getLong(1);
			arrayOid = rs.getLong(2);
		}
		try (Connection c = connect(true); PreparedStatement ps = c.prepareStatement("SELECT t FROM edge WHERE id = 1");
			 ResultSet rs = ps.executeQuery())
		{
			rs.next();
			Object o = rs.getObject(1);
			check("pgjdbc without the classes: a tally is a PGobject holding its text form",
				  o.getClass() == PGobject.class && ((PGobject) o).getValue().equals(edge.get(0)[1]), String.valueOf(o));
		}
		try (Connection c = connect(true); PreparedStatement ps = c.prepareStatement(
				 "SELECT 'city'::maslihat_level, outcome(t, 'kz1994') FROM edge WHERE id = 1");
			 ResultSet rs = ps.executeQuery())
		{
			rs.next();
			Object o = rs.getObject(2);
			check("pgjdbc without the classes: maslihat_level is a String, fptp_outcome a PGobject holding the record text",
				  "city".equals(rs.getObject(1)) && o.getClass() == PGobject.class
				  && ((PGobject) o).getValue().startsWith("(1,"), String.valueOf(o));
		}
		Properties p = new Properties();
		p.setProperty("user", user);
		p.setProperty("prepareThreshold", "-1");
		p.setProperty("binaryTransferEnable", tallyOid + "," + arrayOid);
		try (Connection c = DriverManager.getConnection(url, p);
			 PreparedStatement ps = c.prepareStatement("SELECT t, ARRAY[t] FROM edge WHERE id = 1");
			 ResultSet rs = ps.executeQuery())
		{
			rs.next();
			String s = rs.getString(1);
			Object o = rs.getObject(1);
			String arr;
			try
			{
				Array a = rs.getArray(2);
				arr = Arrays.toString((Object[]) a.getArray());
			}
			catch (RuntimeException | SQLException e)
			{
				arr = e.getClass().getSimpleName();
			}
			System.out.println("pgjdbc without the classes, tally and tally[] in binaryTransferEnable: getString " + s
							   + ", getObject " + o.getClass().getName() + " with getValue " + ((PGobject) o).getValue()
							   + ", getArray " + arr);
			check("pgjdbc without the classes, tally OID in binaryTransferEnable: getString and getObject's value are null",
				  s == null && ((PGobject) o).getValue() == null && rs.getBytes(1)[0] == 1);
			check("pgjdbc without the classes, tally[] OID in binaryTransferEnable: getArray's elements are null",
				  arr.equals("[null]"), arr);
		}
		try (Connection c = connect(true); PreparedStatement ps = c.prepareStatement("SELECT ? = t FROM edge WHERE id = 1"))
		{
			ps.setString(1, edge.get(0)[1]);
			String err = null;
			try
			{
				ps.executeQuery().close();
			}
			catch (SQLException e)
			{
				err = e.getSQLState();
			}
			System.out.println("pgjdbc without the classes, setString for a tally argument: SQLSTATE " + err);
			check("pgjdbc without the classes: setString for a tally argument fails (42883, no tally = varchar operator)",
				  "42883".equals(err), String.valueOf(err));
		}
	}

	static void codecs() throws Exception
	{
		Tally t = Tally.parse("registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
		ByteBuffer spec = ByteBuffer.allocate(62);
		spec.put((byte) 1).put((byte) 1).putLong(1000).putLong(620).putLong(3).putInt(2)
			.putLong(17).putLong(300).putLong(42).putLong(317);
		check("binary form: bigint keys byte for byte as the specification",
			  Arrays.equals(t.toBinary(), spec.array()) && Tally.fromBinary(spec.array()).equals(t));
		t = Tally.parse("cast=620 votes={\"Jones\":317,\"Smith \\\"Jr\\\"\":300}");
		check("text keys: the specification's example reads and writes back",
			  "text".equals(t.getKeyKind()) && t.getVotes().get("Smith \"Jr\"") == 300L
			  && t.toString().equals("cast=620 invalid=0 votes={\"Jones\":317,\"Smith \\\"Jr\\\"\":300}"), t.toString());
		ByteBuffer tspec = ByteBuffer.allocate(30 + 12 + 5 + 12 + 10);
		tspec.put((byte) 1).put((byte) 2).putLong(0).putLong(620).putLong(0).putInt(2)
			.putInt(5).put("Jones".getBytes(StandardCharsets.UTF_8)).putLong(317)
			.putInt(10).put("Smith \"Jr\"".getBytes(StandardCharsets.UTF_8)).putLong(300);
		check("text keys: binary form byte for byte as the specification",
			  Arrays.equals(t.toBinary(), tspec.array()) && Tally.fromBinary(tspec.array()).equals(t));
		String[] awkward = {"", "\"", "\\", "{}", ",", ":", "10", "9", "Жасыл", "Әділет", "a b"};
		Map<Object, Long> v = new LinkedHashMap<>();
		for (int i = 0; i < awkward.length; i++)
			v.put(awkward[i], (long) i + 1);
		Tally a = new Tally(v, null, 0, Long.MAX_VALUE);
		check("text keys: ascending bytewise on UTF-8",
			  new ArrayList<>(a.getVotes().keySet()).equals(Arrays.asList("", "\"", ",", "10", "9", ":", "\\", "a b", "{}", "Жасыл", "Әділет")),
			  a.getVotes().keySet().toString());
		check("text keys: awkward keys survive text and binary",
			  Tally.parse(a.toString()).equals(a) && Tally.fromBinary(a.toBinary()).equals(a), a.toString());
		byte[] good = new Tally(Map.of(1L, 2L), null, 0, 5L).toBinary();
		byte[][] bad = {flip(good), version2(good), Arrays.copyOf(good, good.length + 1), Arrays.copyOf(good, good.length - 1),
						Arrays.copyOf(good, 20), Arrays.copyOf(tspec.array(), tspec.array().length - 9)};
		String[] what = {"unknown flag 0x20", "version 2", "a trailing byte", "one byte short", "a short header",
						 "a text key cut short"};
		for (int i = 0; i < bad.length; i++)
		{
			boolean refused = false;
			try
			{
				Tally.fromBinary(bad[i]);
			}
			catch (SQLException e)
			{
				refused = true;
			}
			check("binary form with " + what[i] + " is refused", refused);
		}
		Tally big = Tally.parse("registered=9223372036854775807 cast=9007199254740993 votes={-9223372036854775808:9007199254740993}");
		check("64-bit counts are exact longs",
			  big.getRegistered() == Long.MAX_VALUE && big.getVotes().get(Long.MIN_VALUE) == 9007199254740993L);
	}

	/* The specification's text forms with a trailer, exactly as the server prints them. */
	static final String[] TRAILER_EXAMPLES = {
		"registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1",
		"cast=620 invalid=3 blank=3 votes={17:300,42:317}",
		"issued=9223372036854775807 cast=9007199254740993 invalid=0 votes={1:9007199254740993}",
		"cast=0 invalid=0 votes={} parts=2 provisional=0",
		"registered=900 issued=452 cast=450 invalid=12 blank=0 votes={\"Smith \\\"Jr\\\"\":198,\"Жасыл\":240} parts=3 provisional=2",
	};

	/* Texts the server reads (in any order, fields it drops), and what it prints. */
	static final String[][] TRAILER_TEXTS = {
		{"votes={42:317,17:300} parts=1 blank=1 provisional=1 invalid=3 cast=620 issued=625 registered=1000", TRAILER_EXAMPLES[0]},
		{"cast=5 invalid=0 blank=0 votes={1:5}", "cast=5 invalid=0 votes={1:5}"},
		{"blank=0 cast=5", "cast=5 invalid=0 votes={}"},
		{"cast=5 votes={1:5} provisional=0", "cast=5 invalid=0 votes={1:5}"},
		{"cast=0 parts=0 provisional=0", "cast=0 invalid=0 votes={}"},
		{"issued=0 cast=0", "issued=0 cast=0 invalid=0 votes={}"},
		{"registered=5 issued=5 cast=5 votes={1:5}", "registered=5 issued=5 cast=5 invalid=0 votes={1:5}"},
		{"cast=9 invalid=4 blank=4 parts=9223372036854775807 provisional=9223372036854775807",
		 "cast=9 invalid=4 blank=4 votes={} parts=9223372036854775807 provisional=9223372036854775807"},
	};

	/* Texts the server refuses, and why. */
	static final String[][] BAD_TRAILER_TEXTS = {
		{"cast=5 invalid=2 blank=3 votes={1:3}", "blank above invalid"},
		{"cast=5 blank=1 votes={1:5}", "blank 1 with invalid 0"},
		{"cast=5 votes={1:5} parts=1 provisional=2", "provisional above parts"},
		{"cast=5 votes={1:5} provisional=1", "provisional without parts"},
		{"registered=5 issued=6 cast=5 votes={1:5}", "issued above registered"},
		{"issued=-1 cast=0", "issued negative"},
		{"cast=3 invalid=3 blank=-1", "blank negative"},
		{"cast=0 parts=-1", "parts negative"},
		{"cast=0 parts=1 provisional=-1", "provisional negative"},
		{"cast=3 invalid=3 blank=1 blank=1", "blank twice"},
		{"issued=1 issued=1 cast=0", "issued twice"},
		{"cast=0 parts=1 parts=1", "parts twice"},
		{"cast=0 parts=1 provisional=0 provisional=0", "provisional twice"},
		{"issued=9223372036854775808 cast=0", "issued beyond 64 bits"},
		{"cast=0 spoilt=1", "an unknown field"},
	};

	/* A binary tally of number keys as the specification lays it out: header, pairs, then the trailer's int64s. */
	static byte[] spec(int flags, long registered, long cast, long invalid, long[] pairs, long... trailer)
	{
		ByteBuffer b = ByteBuffer.allocate(30 + 8 * pairs.length + 8 * trailer.length);
		b.put((byte) 1).put((byte) flags).putLong(registered).putLong(cast).putLong(invalid).putInt(pairs.length / 2);
		for (long x : pairs)
			b.putLong(x);
		for (long x : trailer)
			b.putLong(x);
		return b.array();
	}

	static final byte[] TRAILER_SPEC = spec(0x1d, 1000, 620, 3, new long[] {17, 300, 42, 317}, 1, 625, 1, 1);

	/* Byte strings the server refuses (binary COPY), and why. */
	static final Object[][] BAD_TRAILER_BYTES = {
		{flip(TRAILER_SPEC), "an unknown flag 0x20 besides the trailer's"},
		{spec(0x04, 0, 5, 0, new long[] {1, 5}, 0), "flag 0x04 (blank 0) with invalid 0"},
		{spec(0x10, 0, 5, 0, new long[] {1, 5}, 0, 0), "flag 0x10 with parts 0"},
		{spec(0x00, 5, 2, 0, new long[] {1, 2}), "registered 5 without flag 0x01"},
		{spec(0x02, 0, 0, 0, new long[] {}), "the text-key flag 0x02 without candidates"},
		{Arrays.copyOf(TRAILER_SPEC, TRAILER_SPEC.length - 1), "a trailer one byte short"},
		{Arrays.copyOf(TRAILER_SPEC, 62), "flags 0x1d without the trailer's bytes"},
		{Arrays.copyOf(TRAILER_SPEC, TRAILER_SPEC.length + 1), "a byte after the trailer"},
		{spec(0x1d, 1000, 620, 3, new long[] {17, 300, 42, 317}, 4, 625, 1, 1), "blank above invalid"},
		{spec(0x1d, 1000, 620, 3, new long[] {17, 300, 42, 317}, 1, 1001, 1, 1), "issued above registered"},
		{spec(0x1d, 1000, 620, 3, new long[] {17, 300, 42, 317}, 1, 625, 1, 2), "provisional above parts"},
		{spec(0x1d, 1000, 620, 3, new long[] {17, 300, 42, 317}, -1, 625, 1, 1), "blank negative"},
		{spec(0x08, 0, 5, 0, new long[] {1, 5}, -1), "issued negative"},
		{spec(0x10, 0, 5, 0, new long[] {1, 5}, -1, 0), "parts negative"},
	};

	static boolean refusesText(String text)
	{
		return textError(text) != null;
	}

	/* Tally.parse's error message, or null when it reads the text. */
	static String textError(String text)
	{
		try
		{
			Tally.parse(text);
			return null;
		}
		catch (SQLException e)
		{
			return e.getMessage();
		}
	}

	static boolean refusesBytes(byte[] b)
	{
		try
		{
			Tally.fromBinary(b);
			return false;
		}
		catch (SQLException e)
		{
			return true;
		}
	}

	static byte[] serialized(Object o) throws IOException
	{
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (java.io.ObjectOutputStream s = new java.io.ObjectOutputStream(out))
		{
			s.writeObject(o);
		}
		return out.toByteArray();
	}

	static Object deserialized(byte[] b) throws IOException, ClassNotFoundException
	{
		try (java.io.ObjectInputStream s = new java.io.ObjectInputStream(new ByteArrayInputStream(b)))
		{
			return s.readObject();
		}
	}

	static boolean refusesTally(Map<?, Long> votes, Long cast, long invalid, Long registered, Long blank, Long issued,
								long parts, long provisional)
	{
		try
		{
			new Tally(votes, cast, invalid, registered, blank, issued, parts, provisional);
			return false;
		}
		catch (IllegalArgumentException e)
		{
			return true;
		}
	}

	/* The trailer (0.2.0) in the package alone: text and bytes of the specification, the canonical rule, errors. */
	static void trailerCodecs() throws Exception
	{
		int bad = 0;
		for (String text : TRAILER_EXAMPLES)
		{
			Tally t = Tally.parse(text);
			if (!t.toString().equals(text) || !Tally.fromBinary(t.toBinary()).equals(t) || !Tally.parse(t.toString()).equals(t))
			{
				bad++;
				System.out.println("  trailer example " + text + ": " + t);
			}
		}
		check("trailer: the specification's examples read and write back text for text, and through binary", bad == 0);
		Tally t = Tally.parse(TRAILER_EXAMPLES[0]);
		check("trailer: binary form byte for byte as the specification (flags 0x1d, blank, issued, parts, provisional)",
			  Arrays.equals(t.toBinary(), TRAILER_SPEC) && Tally.fromBinary(TRAILER_SPEC).equals(t)
			  && t.lengthInBytes() == TRAILER_SPEC.length, Arrays.toString(t.toBinary()));
		check("trailer: the fields of the first example",
			  t.getBlank() == 1L && t.getIssued() == 625L && t.getParts() == 1 && t.getProvisional() == 1);
		Tally k = Tally.parse(TRAILER_EXAMPLES[4]);
		byte[] smith = "Smith \"Jr\"".getBytes(StandardCharsets.UTF_8), green = "Жасыл".getBytes(StandardCharsets.UTF_8);
		ByteBuffer kspec = ByteBuffer.allocate(30 + 12 + smith.length + 12 + green.length + 32);
		kspec.put((byte) 1).put((byte) 0x1f).putLong(900).putLong(450).putLong(12).putInt(2)
			.putInt(smith.length).put(smith).putLong(198).putInt(green.length).put(green).putLong(240)
			.putLong(0).putLong(452).putLong(3).putLong(2);
		check("trailer: text keys and blank 0 known (invalid 12), binary byte for byte (flags 0x1f, blank 0 written)",
			  Arrays.equals(k.toBinary(), kspec.array()) && Tally.fromBinary(kspec.array()).equals(k)
			  && Long.valueOf(0).equals(k.getBlank()));
		Tally big = Tally.parse(TRAILER_EXAMPLES[2]);
		check("trailer: issued 9223372036854775807 is an exact long; invalid 0 makes blank 0, known",
			  big.getIssued() == Long.MAX_VALUE && Long.valueOf(0).equals(big.getBlank()) && big.getParts() == 0);

		// the canonical rule: with invalid 0, blank (given 0 or unknown) is 0 and not written
		Map<Long, Long> five = Map.of(1L, 5L);
		Tally old = new Tally(five, null, 0, null);
		Tally zero = new Tally(five, null, 0, null, 0L, null, 0, 0);
		Tally unknown = new Tally(five, null, 0, null, null, null, 0, 0);
		check("trailer: invalid 0 with blank 0 or unknown writes no blank (text, flag, bytes) and reads blank 0",
			  zero.equals(unknown) && zero.equals(old) && zero.hashCode() == old.hashCode()
			  && zero.toString().equals("cast=5 invalid=0 votes={1:5}") && unknown.toString().equals(zero.toString())
			  && Arrays.equals(zero.toBinary(), spec(0, 0, 5, 0, new long[] {1, 5}))
			  && Arrays.equals(unknown.toBinary(), zero.toBinary())
			  && Long.valueOf(0).equals(zero.getBlank()) && Long.valueOf(0).equals(unknown.getBlank())
			  && Long.valueOf(0).equals(old.getBlank()) && old.getIssued() == null && old.getParts() == 0,
			  zero + " / " + unknown);
		Tally blank0 = new Tally(five, null, 2, null, 0L, null, 0, 0);
		Tally blankUnknown = new Tally(five, null, 2, null);
		check("trailer: invalid 2 with blank 0 writes blank=0 and flag 0x04; blank unknown writes neither, and differs",
			  blank0.toString().equals("cast=7 invalid=2 blank=0 votes={1:5}")
			  && Arrays.equals(blank0.toBinary(), spec(0x04, 0, 7, 2, new long[] {1, 5}, 0))
			  && blankUnknown.toString().equals("cast=7 invalid=2 votes={1:5}") && blankUnknown.getBlank() == null
			  && Arrays.equals(blankUnknown.toBinary(), spec(0, 0, 7, 2, new long[] {1, 5}))
			  && !blank0.equals(blankUnknown) && Tally.parse(blankUnknown.toString()).equals(blankUnknown),
			  blank0 + " / " + blankUnknown);
		Tally marked = new Tally(five, null, 0, 10L, null, 7L, 2, 0);
		check("trailer: issued, and parts 2 provisional 0, in text and binary; parts 0 writes no parts",
			  marked.toString().equals("registered=10 issued=7 cast=5 invalid=0 votes={1:5} parts=2 provisional=0")
			  && Arrays.equals(marked.toBinary(), spec(0x19, 10, 5, 0, new long[] {1, 5}, 7, 2, 0))
			  && new Tally(five, null, 0, null, null, null, 0, 0).toString().equals("cast=5 invalid=0 votes={1:5}")
			  && !marked.equals(new Tally(five, null, 0, 10L, null, 7L, 2, 1))
			  && !marked.equals(new Tally(five, null, 0, 10L, null, null, 2, 0)),
			  marked.toString());

		// errors of the value object
		check("trailer: blank above invalid is refused", refusesTally(five, null, 2, null, 3L, null, 0, 0));
		check("trailer: blank 1 with invalid 0 is refused", refusesTally(five, null, 0, null, 1L, null, 0, 0));
		check("trailer: provisional above parts is refused", refusesTally(five, null, 0, null, null, null, 2, 3));
		check("trailer: provisional without parts is refused", refusesTally(five, null, 0, null, null, null, 0, 1));
		check("trailer: issued above registered is refused", refusesTally(five, null, 0, 5L, null, 6L, 0, 0));
		check("trailer: issued with registered unknown is not bounded",
			  !refusesTally(five, null, 0, null, null, Long.MAX_VALUE, 0, 0));
		check("trailer: negative blank, issued, parts or provisional are refused",
			  refusesTally(five, null, 2, null, -1L, null, 0, 0) && refusesTally(five, null, 0, null, null, -1L, 0, 0)
			  && refusesTally(five, null, 0, null, null, null, -1, -1) && refusesTally(five, null, 0, null, null, null, 1, -1));

		// the counts' bounds and text keys, as the server's
		check("counts: votes plus invalid above cast are refused", refusesTally(five, 6L, 2, null, null, null, 0, 0)
			  && !refusesTally(five, 7L, 2, null, null, null, 0, 0));
		check("counts: cast above registered is refused", refusesTally(five, null, 0, 4L, null, null, 0, 0)
			  && refusesTally(five, 9L, 0, 8L, null, null, 0, 0) && !refusesTally(five, null, 0, 5L, null, null, 0, 0));
		String countsError = null;
		try
		{
			new Tally(five, 6L, 2, null);
		}
		catch (IllegalArgumentException e)
		{
			countsError = e.getMessage();
		}
		check("counts: the error names the counts",
			  "candidate votes (5) plus blank or invalid ballots (2) exceed ballots cast (6)".equals(countsError),
			  String.valueOf(countsError));
		check("text keys: an unpaired surrogate is refused (UTF-8 has no form for it)",
			  refusesTally(Map.of("a\uD800", 1L), null, 0, null, null, null, 0, 0)
			  && refusesTally(Map.of("\uDC00b", 1L), null, 0, null, null, null, 0, 0));
		Tally pair = new Tally(Map.of("a\uD83D\uDE00", 1L), null, 0, null);
		check("text keys: a surrogate pair is a character, and round-trips",
			  Tally.fromBinary(pair.toBinary()).equals(pair) && Tally.parse(pair.toString()).equals(pair), pair.toString());
		check("text: votes plus invalid above cast are refused", refusesText("cast=2 invalid=1 votes={1:2}"));
		String escapeError = textError("cast=1 votes={\"a\\n\":1}");
		check("text: only \\\" and \\\\ are escapes in a key, as the server's (\"a\\n\" is not \"an\")",
			  escapeError != null && escapeError.contains("not \\n") && refusesText("cast=1 votes={\"\\b\":1}")
			  && !refusesText("cast=1 votes={\"a\\\\b\\\"\":1}"), String.valueOf(escapeError));
		check("bytes: cast above registered is refused", refusesBytes(spec(0x01, 1, 2, 0, new long[] {1, 2})));
		check("serialization: a tally round-trips", deserialized(serialized(marked)).equals(marked));
		java.lang.reflect.Field castField = Tally.class.getDeclaredField("cast");
		castField.setAccessible(true);
		Tally tampered = new Tally(five, null, 0, null);
		castField.setLong(tampered, 1);
		String streamError = null;
		try
		{
			deserialized(serialized(tampered));
		}
		catch (java.io.InvalidObjectException e)
		{
			streamError = e.getMessage();
		}
		check("serialization: a stream holding votes above cast is refused as the constructor refuses them",
			  streamError != null && streamError.contains("exceed ballots cast (1)"), String.valueOf(streamError));

		// text the server reads and refuses
		bad = 0;
		for (String[] c : TRAILER_TEXTS)
		{
			Tally got = Tally.parse(c[0]);
			if (!got.toString().equals(c[1]))
			{
				bad++;
				System.out.println("  trailer text " + c[0] + ": " + got + ", want " + c[1]);
			}
		}
		check("trailer: text fields in any order, dropped where the server drops them", bad == 0);
		for (String[] c : BAD_TRAILER_TEXTS)
			check("trailer: text with " + c[1] + " is refused", refusesText(c[0]), c[0]);
		String err = textError("cast=3 invalid=3 blank=1 blank=1");
		check("trailer: a repeated field's error names it", err != null && err.contains("repeated field blank"), String.valueOf(err));
		err = textError("cast=5 invalid=2 blank=3 votes={1:3}");
		check("trailer: blank above invalid's error says so",
			  err != null && err.contains("blank ballots (3) exceed blank or invalid ballots (2)"), String.valueOf(err));
		err = textError("registered=5 issued=6 cast=5 votes={1:5}");
		check("trailer: issued above registered's error says so",
			  err != null && err.contains("ballots issued (6) exceed registered voters (5)"), String.valueOf(err));
		err = textError("cast=5 votes={1:5} parts=1 provisional=2");
		check("trailer: provisional above parts' error says so",
			  err != null && err.contains("provisional parts (2) exceed parts (1)"), String.valueOf(err));

		// bytes
		for (Object[] c : BAD_TRAILER_BYTES)
			check("trailer: binary form with " + c[1] + " is refused", refusesBytes((byte[]) c[0]));
		check("trailer: binary flag 0x08 alone (issued) reads",
			  Tally.fromBinary(spec(0x08, 0, 5, 0, new long[] {1, 5}, 7)).equals(new Tally(five, null, 0, null, null, 7L, 0, 0)));
	}

	/* The server reads the trailer's texts and bytes as the package does. */
	static void trailerAgainstServer() throws Exception
	{
		try (Connection c = connect(true))
		{
			int bad = 0;
			List<String> texts = new ArrayList<>(Arrays.asList(TRAILER_EXAMPLES));
			for (String[] x : TRAILER_TEXTS)
				texts.add(x[0]);
			try (PreparedStatement ps = c.prepareStatement("SELECT ?::text::tally::text"))
			{
				for (String text : texts)
				{
					ps.setString(1, text);
					try (ResultSet rs = ps.executeQuery())
					{
						rs.next();
						if (!rs.getString(1).equals(Tally.parse(text).toString()))
						{
							bad++;
							System.out.println("  server " + rs.getString(1) + ", package " + Tally.parse(text));
						}
					}
				}
				check("trailer: the server prints every text read the package's way", bad == 0);
				bad = 0;
				for (String[] x : BAD_TRAILER_TEXTS)
				{
					ps.setString(1, x[0]);
					boolean refused = false;
					try
					{
						ps.executeQuery().close();
					}
					catch (SQLException e)
					{
						refused = true;
					}
					if (!refused)
					{
						bad++;
						System.out.println("  the server reads " + x[0] + " (" + x[1] + ")");
					}
				}
				check("trailer: the server refuses every text the package refuses", bad == 0);
			}
			CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
			try (Statement st = c.createStatement())
			{
				st.execute("CREATE TEMP TABLE one (t tally)");
			}
			copyOne(copy, TRAILER_SPEC);
			try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT t::text FROM one"))
			{
				rs.next();
				check("trailer: binary COPY of the specification's bytes reads as the package reads them",
					  rs.getString(1).equals(Tally.fromBinary(TRAILER_SPEC).toString()), rs.getString(1));
			}
			bad = 0;
			for (Object[] x : BAD_TRAILER_BYTES)
			{
				boolean refused = false;
				try
				{
					copyOne(copy, (byte[]) x[0]);
				}
				catch (SQLException e)
				{
					refused = true;
				}
				if (!refused)
				{
					bad++;
					System.out.println("  the server reads bytes with " + x[1]);
				}
			}
			check("trailer: the server refuses (binary COPY) every byte string the package refuses", bad == 0);
		}
	}

	/* Binary COPY of one field into the temp table one. */
	static void copyOne(CopyManager copy, byte[] field) throws SQLException, IOException
	{
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
		out.writeInt(0);
		out.writeInt(0);
		out.writeShort(1);
		out.writeInt(field.length);
		out.write(field);
		out.writeShort(-1);
		copy.copyIn("COPY one FROM STDIN (FORMAT binary)", new ByteArrayInputStream(bytes.toByteArray()));
	}

	static byte[] flip(byte[] b)
	{
		byte[] c = b.clone();
		c[1] |= 0x20;
		return c;
	}

	static byte[] version2(byte[] b)
	{
		byte[] c = b.clone();
		c[0] = 2;
		return c;
	}

	public static void main(String[] args) throws Exception
	{
		url = args[0];
		user = args[1];
		psqlPath = args[2];
		edge = psql("SELECT id, t FROM edge ORDER BY id");
		for (String[] r : edge)
			edgeTallies.add(r[1] == null ? null : Tally.parse(r[1]));
		outcomePsql = psql("SELECT id, (outcome(t, registered, 'kz1994')).* FROM constituency_tally ORDER BY id");
		String o1 = psql("SELECT outcome(t, registered, 'kz1994')::text FROM constituency_tally WHERE id = 1").get(0)[0];
		outcomePlus = o1.substring(0, o1.length() - 1) + ",60.5)";
		edgeOutcomePsql = psql("SELECT id, (outcome(t, 'none')).* FROM edge WHERE t IS NOT NULL ORDER BY id");
		summaryPsql = psql("SELECT (election_summary(t, registered, 'kz1994')).* FROM constituency_tally");
		for (String[] r : psql("SELECT attname FROM pg_attribute WHERE attrelid = 'fptp_outcome'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
			outcomeFields.add(r[0]);
		for (String[] r : psql("SELECT attname FROM pg_attribute WHERE attrelid = 'election_summary'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
			summaryFields.add(r[0]);
		codecs();
		trailerCodecs();
		if (TRAILERS)
			trailerAgainstServer();
		withoutAdapter();
		withAdapter(false);
		withAdapter(true);
		binaryCopy();
		System.out.println("text keys on the server: " + ("1".equals(System.getenv("TEXT_KEYS")) ? "yes, in the edge tallies" : "not yet"));
		System.out.println("tally trailers on the server: " + (TRAILERS ? "yes, in the edge tallies" : "not yet"));
		System.out.println(passed + " passed, " + failed + " failed");
		System.exit(failed == 0 ? 0 : 1);
	}
}

/*
 * Maslihat.java
 *	  Registers maslihat's types with a pgjdbc connection.
 *
 *	  Connection conn = DriverManager.getConnection(url, props);
 *	  Maslihat.registerTypes(conn);
 *	  Tally t = (Tally) rs.getObject("t");
 *	  Composite o = (Composite) rs.getObject("o");	// fptp_outcome
 *	  Level l = Level.of(rs.getString("level"));		// maslihat_level
 *	  ps.setObject(1, t);								// sent as a tally
 *	  ps.setObject(2, new LevelObject(Level.CITY));	// sent as a maslihat_level
 *
 * Reads the OIDs and the composites' attribute lists from the catalog;
 * tally and the composites are also read in binary transfer (the driver
 * asks for binary for any type registered with a PGBinaryObject class, in
 * statements it runs with binary transfer: after prepareThreshold uses,
 * or from the first with prepareThreshold=-1).  Composites are sent in
 * text form.  The attribute lists are kept per type name for the whole
 * JVM: connections to databases whose maslihat versions differ should
 * call registerTypes again before reading composites.
 *
 * clients/java/src/maslihat/Maslihat.java
 */
package maslihat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

public final class Maslihat
{
	public static final String[] COMPOSITES = {"fptp_outcome", "election_summary"};

	private Maslihat()
	{
	}

	/** Registers the types, reading tally and the composites in binary when the driver transfers binary. */
	public static void registerTypes(Connection conn) throws SQLException
	{
		registerTypes(conn, true);
	}

	/**
	 * binary false: tally and the composites are read and sent in text form
	 * only (the driver would otherwise ask for binary whatever its
	 * binaryTransfer setting).
	 */
	public static void registerTypes(Connection conn, boolean binary) throws SQLException
	{
		PGConnection pg = conn.unwrap(PGConnection.class);
		QueryExecutor executor = conn.unwrap(BaseConnection.class).getQueryExecutor();
		int tally = oid(conn, "tally");
		int level = oid(conn, "maslihat_level");
		Composite.KINDS.put(tally, "tally");
		Composite.KINDS.put(level, "maslihat_level");
		pg.addDataType("tally", Tally.class);
		pg.addDataType("maslihat_level", LevelObject.class);
		if (!binary)
		{
			executor.removeBinaryReceiveOid(tally);
			executor.removeBinarySendOid(tally);
		}
		for (String name : COMPOSITES)
		{
			int oid = oid(conn, name);
			Composite.ATTRIBUTES.put(name, attributes(conn, oid));
			pg.addDataType(name, Composite.class);
			executor.removeBinarySendOid(oid);
			if (!binary)
				executor.removeBinaryReceiveOid(oid);
		}
	}

	private static int oid(Connection conn, String name) throws SQLException
	{
		try (PreparedStatement ps = conn.prepareStatement("SELECT to_regtype(?)::oid::int8"))
		{
			ps.setString(1, name);
			try (ResultSet rs = ps.executeQuery())
			{
				rs.next();
				long oid = rs.getLong(1);
				if (rs.wasNull())
					throw new PSQLException("type " + name + " not found: is the maslihat extension installed?",
											PSQLState.UNDEFINED_OBJECT);
				return (int) oid;
			}
		}
	}

	private static List<Composite.Attribute> attributes(Connection conn, int oid) throws SQLException
	{
		List<Composite.Attribute> out = new ArrayList<>();
		try (PreparedStatement ps = conn.prepareStatement(
				 "SELECT a.attname, a.atttypid::int8 FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid"
				 + " WHERE t.oid = ?::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"))
		{
			ps.setLong(1, oid & 0xffffffffL);
			try (ResultSet rs = ps.executeQuery())
			{
				while (rs.next())
					out.add(new Composite.Attribute(rs.getString(1), (int) rs.getLong(2)));
			}
		}
		return out;
	}
}

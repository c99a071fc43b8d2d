/*
 * Composite.java
 *	  fptp_outcome and election_summary (and any composite registered the
 *	  same way) for pgjdbc, decoded by the attribute list that
 *	  Maslihat.registerTypes read from the catalog (pg_attribute), in text
 *	  and in binary transfer: a column added by a newer maslihat appears by
 *	  its name without a new client.  bigint as Long, integer as Integer,
 *	  numeric as BigDecimal, boolean as Boolean, text as String, tally as
 *	  Tally, maslihat_level as Level; NULL as null.
 *
 * clients/java/src/maslihat/Composite.java
 */
package maslihat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

public class Composite extends PGobject implements PGBinaryObject
{
	private static final long serialVersionUID = 1L;

	static final int BOOL = 16, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, VARCHAR = 1043, NUMERIC = 1700;

	/** An attribute: its name and its type's OID. */
	static final class Attribute
	{
		final String name;
		final int type;

		Attribute(String name, int type)
		{
			this.name = name;
			this.type = type;
		}
	}

	/* Filled by Maslihat.registerTypes: attributes by type name, kinds by OID. */
	static final Map<String, List<Attribute>> ATTRIBUTES = new ConcurrentHashMap<>();
	static final Map<Integer, String> KINDS = new ConcurrentHashMap<>();

	private Map<String, Object> values = Collections.emptyMap();

	/** The field names in the catalog's order. */
	public List<String> names()
	{
		return new ArrayList<>(values.keySet());
	}

	/** Field values by name, in the catalog's order. */
	public Map<String, Object> asMap()
	{
		return values;
	}

	public Object get(String name)
	{
		if (!values.containsKey(name))
			throw new IllegalArgumentException(type + " has no field " + name);
		return values.get(name);
	}

	public Long getLong(String name)
	{
		return (Long) get(name);
	}

	public Integer getInteger(String name)
	{
		return (Integer) get(name);
	}

	public BigDecimal getBigDecimal(String name)
	{
		return (BigDecimal) get(name);
	}

	public Boolean getBoolean(String name)
	{
		return (Boolean) get(name);
	}

	public String getString(String name)
	{
		Object v = get(name);
		return v == null ? null : v.toString();
	}

	private List<Attribute> attributes() throws SQLException
	{
		List<Attribute> a = ATTRIBUTES.get(type);
		if (a == null)
			throw new PSQLException("composite type " + type + " is not registered: call Maslihat.registerTypes",
									PSQLState.DATA_TYPE_MISMATCH);
		return a;
	}

	@Override
	public void setValue(String text) throws SQLException
	{
		value = text;
		if (text == null)
			return;
		List<Attribute> attrs = attributes();
		List<String> fields = splitRecord(text);
		if (fields.size() != attrs.size())
			throw new PSQLException(type + " has " + fields.size() + " fields, the catalog " + attrs.size(),
									PSQLState.DATA_ERROR);
		LinkedHashMap<String, Object> v = new LinkedHashMap<>();
		for (int i = 0; i < attrs.size(); i++)
			v.put(attrs.get(i).name, fields.get(i) == null ? null : fromText(attrs.get(i).type, fields.get(i)));
		values = Collections.unmodifiableMap(v);
	}

	@Override
	public void setByteValue(byte[] bytes, int offset) throws SQLException
	{
		List<Attribute> attrs = attributes();
		ByteBuffer b = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice();
		int n = b.getInt();
		if (n != attrs.size())
			throw new PSQLException(type + " has " + n + " fields, the catalog " + attrs.size(), PSQLState.DATA_ERROR);
		LinkedHashMap<String, Object> v = new LinkedHashMap<>();
		for (Attribute a : attrs)
		{
			int oid = b.getInt();
			int len = b.getInt();
			if (len < 0)
			{
				v.put(a.name, null);
				continue;
			}
			byte[] field = new byte[len];
			b.get(field);
			v.put(a.name, fromBinary(oid, field));
		}
		values = Collections.unmodifiableMap(v);
		value = null;
	}

	/* Sent as text: the record literal. */
	@Override
	public String getValue()
	{
		if (value != null || values.isEmpty())
			return value;
		StringBuilder sb = new StringBuilder("(");
		boolean first = true;
		for (Object o : values.values())
		{
			if (!first)
				sb.append(',');
			first = false;
			if (o == null)
				continue;
			String s = o instanceof Boolean ? ((Boolean) o ? "t" : "f")
				: o instanceof BigDecimal ? ((BigDecimal) o).toPlainString()
				: o instanceof Level ? ((Level) o).label() : o.toString();
			sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
		}
		return sb.append(')').toString();
	}

	@Override
	public int lengthInBytes()
	{
		return 0;
	}

	@Override
	public void toBytes(byte[] bytes, int offset)
	{
		throw new UnsupportedOperationException("composites are sent in text form");
	}

	@Override
	public String toString()
	{
		return type + values;
	}

	@Override
	public boolean equals(Object o)
	{
		return o instanceof Composite && ((Composite) o).type.equals(type) && ((Composite) o).values.equals(values);
	}

	@Override
	public int hashCode()
	{
		return values.hashCode();
	}

	static Object fromText(int oid, String s) throws SQLException
	{
		switch (oid)
		{
			case INT8:
				return Long.parseLong(s);
			case INT2:
			case INT4:
				return Integer.parseInt(s);
			case BOOL:
				return s.equals("t");
			case NUMERIC:
				return new BigDecimal(s);
			default:
				String kind = KINDS.get(oid);
				if ("tally".equals(kind))
					return Tally.parse(s);
				if ("maslihat_level".equals(kind))
					return Level.of(s);
				return s;
		}
	}

	static Object fromBinary(int oid, byte[] b) throws SQLException
	{
		ByteBuffer buf = ByteBuffer.wrap(b);
		switch (oid)
		{
			case INT8:
				return buf.getLong();
			case INT4:
				return buf.getInt();
			case INT2:
				return (int) buf.getShort();
			case BOOL:
				return b[0] != 0;
			case NUMERIC:
				return numeric(buf);
			case TEXT:
			case VARCHAR:
				return new String(b, StandardCharsets.UTF_8);
			default:
				String kind = KINDS.get(oid);
				if ("tally".equals(kind))
					return Tally.fromBinary(b);
				if ("maslihat_level".equals(kind))
					return Level.of(new String(b, StandardCharsets.UTF_8));
				return b;
		}
	}

	/* numeric's binary form: int16 ndigits, weight, sign, dscale, base-10000 digits. */
	static BigDecimal numeric(ByteBuffer b) throws SQLException
	{
		int ndigits = b.getShort();
		int weight = b.getShort();
		int sign = b.getShort() & 0xffff;
		int dscale = b.getShort();
		if (sign != 0 && sign != 0x4000)
			throw new PSQLException("numeric NaN or infinity has no BigDecimal", PSQLState.NUMERIC_VALUE_OUT_OF_RANGE);
		BigInteger v = BigInteger.ZERO;
		BigInteger base = BigInteger.valueOf(10000);
		for (int i = 0; i < ndigits; i++)
			v = v.multiply(base).add(BigInteger.valueOf(b.getShort()));
		BigDecimal d = new BigDecimal(v).scaleByPowerOfTen(4 * (weight - ndigits + 1));
		d = d.setScale(dscale, RoundingMode.UNNECESSARY);
		return sign == 0x4000 ? d.negate() : d;
	}

	/* A record's text form, e.g. (11,3,,"a b",t): fields, NULL as null. */
	static List<String> splitRecord(String s) throws SQLException
	{
		if (s.length() < 2 || s.charAt(0) != '(' || s.charAt(s.length() - 1) != ')')
			throw new PSQLException("not a record: " + s, PSQLState.DATA_ERROR);
		List<String> out = new ArrayList<>();
		int i = 1;
		for (;;)
		{
			if (s.charAt(i) == '"')
			{
				StringBuilder f = new StringBuilder();
				i++;
				for (;;)
				{
					if (i >= s.length())
						throw new PSQLException("unterminated record: " + s, PSQLState.DATA_ERROR);
					char c = s.charAt(i);
					if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"')
					{
						f.append('"');
						i += 2;
					}
					else if (c == '"')
					{
						i++;
						break;
					}
					else if (c == '\\')
					{
						f.append(s.charAt(i + 1));
						i += 2;
					}
					else
					{
						f.append(c);
						i++;
					}
				}
				out.add(f.toString());
			}
			else
			{
				int j = i;
				while (s.charAt(j) != ',' && s.charAt(j) != ')')
					j++;
				out.add(j > i ? s.substring(i, j) : null);
				i = j;
			}
			if (s.charAt(i) == ')')
				return out;
			i++;
		}
	}
}

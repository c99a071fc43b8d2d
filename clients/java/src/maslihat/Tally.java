/*
 * Tally.java
 *	  maslihat's tally for pgjdbc: registered voters (null when unknown),
 *	  ballots cast, blank or invalid ballots, votes by candidate key (all
 *	  Long or all String), every count an exact long.
 *
 * Registered with Maslihat.registerTypes(connection): getObject of a tally
 * column is a Tally in text and in binary transfer, and a Tally given to
 * setObject is sent as a tally (binary when the driver transfers binary).
 *
 * Text form:   registered=1000 cast=620 invalid=3 votes={17:300,42:317}
 *              cast=620 votes={"Jones":317,"Smith \"Jr\"":300}
 * Binary form: big-endian uint8 version (1), uint8 flags (0x01 registered
 *              known, 0x02 text keys), int64 registered, int64 cast, int64
 *              invalid, uint32 n, then n x (int64 candidate, int64 votes)
 *              or n x (uint32 length, UTF-8 bytes, int64 votes).
 *
 * clients/java/src/maslihat/Tally.java
 */
package maslihat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

public class Tally extends PGobject implements PGBinaryObject
{
	private static final long serialVersionUID = 1L;

	private static final int FLAG_REGISTERED = 0x01;
	private static final int FLAG_TEXT_KEYS = 0x02;
	private static final int HEADER = 30;

	private Long registered;
	private long cast;
	private long invalid;
	private Map<Object, Long> votes = Collections.emptyMap();

	/** For the driver: getObject fills it with setValue or setByteValue. */
	public Tally()
	{
		type = "tally";
	}

	/**
	 * votes: candidate key (all Long or all String) to votes; cast null
	 * means the sum of the votes and invalid; registered null means unknown.
	 */
	public Tally(Map<?, Long> votes, Long cast, long invalid, Long registered)
	{
		this();
		List<Map.Entry<?, Long>> entries = new ArrayList<>(votes.entrySet());
		Class<?> kind = null;
		long sum = invalid;
		for (Map.Entry<?, Long> e : entries)
		{
			Object k = e.getKey();
			if (!(k instanceof Long || k instanceof String))
				throw new IllegalArgumentException("a candidate key must be a Long or a String");
			if (kind != null && kind != k.getClass())
				throw new IllegalArgumentException("candidate keys must be all Long or all String");
			kind = k.getClass();
			if (k instanceof String && ((String) k).indexOf('\0') >= 0)
				throw new IllegalArgumentException("a candidate key cannot contain NUL");
			if (e.getValue() == null || e.getValue() < 0)
				throw new IllegalArgumentException("votes must be a count of 0 or more");
			sum = Math.addExact(sum, e.getValue());
		}
		entries.sort(Comparator.comparing(Map.Entry::getKey, Tally::compareKeys));
		LinkedHashMap<Object, Long> sorted = new LinkedHashMap<>();
		for (Map.Entry<?, Long> e : entries)
			sorted.put(e.getKey(), e.getValue());
		if (invalid < 0 || (cast != null && cast < 0) || (registered != null && registered < 0))
			throw new IllegalArgumentException("counts must be 0 or more");
		this.votes = Collections.unmodifiableMap(sorted);
		this.invalid = invalid;
		this.cast = cast == null ? sum : cast;
		this.registered = registered;
	}

	/** Reads the text form. */
	public static Tally parse(String text) throws SQLException
	{
		return new TextParser(text).parse();
	}

	/** Reads the binary form (tally_send, binary COPY). */
	public static Tally fromBinary(byte[] bytes) throws SQLException
	{
		Tally t = new Tally();
		t.setByteValue(bytes, 0);
		return t;
	}

	/** Bigint keys in numeric order; text keys bytewise on their UTF-8 bytes. */
	static int compareKeys(Object a, Object b)
	{
		if (a instanceof Long && b instanceof Long)
			return Long.compare((Long) a, (Long) b);
		if (a instanceof String && b instanceof String)
			return Arrays.compareUnsigned(((String) a).getBytes(StandardCharsets.UTF_8),
										  ((String) b).getBytes(StandardCharsets.UTF_8));
		throw new IllegalArgumentException("candidate keys must be all Long or all String");
	}

	/** Registered voters, or null when unknown. */
	public Long getRegistered()
	{
		return registered;
	}

	public long getCast()
	{
		return cast;
	}

	public long getInvalid()
	{
		return invalid;
	}

	/** Votes by candidate key (Long or String), in the server's order. */
	public Map<Object, Long> getVotes()
	{
		return votes;
	}

	/** "bigint", "text", or null for a tally without candidates. */
	public String getKeyKind()
	{
		for (Object k : votes.keySet())
			return k instanceof String ? "text" : "bigint";
		return null;
	}

	@Override
	public void setValue(String value) throws SQLException
	{
		if (value == null)
		{
			this.value = null;
			return;
		}
		copyFrom(parse(value));
	}

	@Override
	public String getValue()
	{
		StringBuilder sb = new StringBuilder();
		if (registered != null)
			sb.append("registered=").append(registered).append(' ');
		sb.append("cast=").append(cast).append(" invalid=").append(invalid).append(" votes={");
		boolean first = true;
		for (Map.Entry<Object, Long> e : votes.entrySet())
		{
			if (!first)
				sb.append(',');
			first = false;
			Object k = e.getKey();
			if (k instanceof String)
				sb.append('"').append(((String) k).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
			else
				sb.append(k);
			sb.append(':').append(e.getValue());
		}
		return sb.append('}').toString();
	}

	@Override
	public boolean isNull()
	{
		return false;
	}

	@Override
	public String toString()
	{
		return getValue();
	}

	@Override
	public boolean equals(Object o)
	{
		if (!(o instanceof Tally))
			return false;
		Tally t = (Tally) o;
		return java.util.Objects.equals(registered, t.registered) && cast == t.cast && invalid == t.invalid
			&& new ArrayList<>(votes.entrySet()).equals(new ArrayList<>(t.votes.entrySet()));
	}

	@Override
	public int hashCode()
	{
		return java.util.Objects.hash(registered, cast, invalid, votes);
	}

	private void copyFrom(Tally t)
	{
		registered = t.registered;
		cast = t.cast;
		invalid = t.invalid;
		votes = t.votes;
	}

	// -- binary form --------------------------------------------------------

	@Override
	public void setByteValue(byte[] bytes, int offset) throws SQLException
	{
		ByteBuffer b = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice();
		if (b.remaining() < HEADER)
			throw bad("binary tally too short: " + b.remaining() + " bytes");
		int version = b.get() & 0xff;
		int flags = b.get() & 0xff;
		if (version != 1)
			throw bad("unknown binary tally version " + version);
		if ((flags & ~(FLAG_REGISTERED | FLAG_TEXT_KEYS)) != 0)
			throw bad("unknown binary tally flags 0x" + Integer.toHexString(flags));
		long reg = b.getLong();
		long c = b.getLong();
		long inv = b.getLong();
		long n = b.getInt() & 0xffffffffL;
		LinkedHashMap<Object, Long> v = new LinkedHashMap<>();
		for (long i = 0; i < n; i++)
		{
			Object key;
			if ((flags & FLAG_TEXT_KEYS) != 0)
			{
				if (b.remaining() < 4)
					throw bad("binary tally ends inside a candidate");
				long len = b.getInt() & 0xffffffffL;
				if (b.remaining() < len + 8)
					throw bad("binary tally ends inside a candidate");
				byte[] k = new byte[(int) len];
				b.get(k);
				try
				{
					key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
						.decode(ByteBuffer.wrap(k)).toString();
				}
				catch (CharacterCodingException e)
				{
					throw bad("a candidate key is not UTF-8");
				}
			}
			else
			{
				if (b.remaining() < 16)
					throw bad("binary tally ends inside a candidate");
				key = b.getLong();
			}
			if (v.put(key, b.getLong()) != null)
				throw bad("repeated candidate " + key);
		}
		if (b.remaining() != 0)
			throw bad(b.remaining() + " bytes after a binary tally");
		copyFrom(new Tally(v, c, inv, (flags & FLAG_REGISTERED) != 0 ? reg : null));
	}

	@Override
	public int lengthInBytes()
	{
		int size = HEADER;
		for (Object k : votes.keySet())
			size += k instanceof String ? 12 + ((String) k).getBytes(StandardCharsets.UTF_8).length : 16;
		return size;
	}

	@Override
	public void toBytes(byte[] bytes, int offset)
	{
		ByteBuffer b = ByteBuffer.wrap(bytes, offset, lengthInBytes());
		boolean text = "text".equals(getKeyKind());
		b.put((byte) 1);
		b.put((byte) ((registered != null ? FLAG_REGISTERED : 0) | (text ? FLAG_TEXT_KEYS : 0)));
		b.putLong(registered != null ? registered : 0L).putLong(cast).putLong(invalid).putInt(votes.size());
		for (Map.Entry<Object, Long> e : votes.entrySet())
		{
			if (text)
			{
				byte[] k = ((String) e.getKey()).getBytes(StandardCharsets.UTF_8);
				b.putInt(k.length).put(k);
			}
			else
				b.putLong((Long) e.getKey());
			b.putLong(e.getValue());
		}
	}

	/** The binary form as a new array. */
	public byte[] toBinary()
	{
		byte[] out = new byte[lengthInBytes()];
		toBytes(out, 0);
		return out;
	}

	private static SQLException bad(String message)
	{
		return new PSQLException(message, PSQLState.DATA_ERROR);
	}

	private static final class TextParser
	{
		private final String s;
		private int i;

		TextParser(String s)
		{
			this.s = s;
		}

		SQLException fail(String what)
		{
			return bad("invalid tally text at offset " + i + ": " + what + ": " + s);
		}

		void ws()
		{
			while (i < s.length() && " \t\n\r\f\u000b".indexOf(s.charAt(i)) >= 0)
				i++;
		}

		int peek()
		{
			return i < s.length() ? s.charAt(i) : -1;
		}

		void expect(char c) throws SQLException
		{
			ws();
			if (peek() != c)
				throw fail("expected '" + c + "'");
			i++;
		}

		long integer() throws SQLException
		{
			ws();
			int j = i;
			if (peek() == '+' || peek() == '-')
				i++;
			int digits = i;
			while (peek() >= '0' && peek() <= '9')
				i++;
			if (i == digits)
				throw fail("expected a number");
			try
			{
				return Long.parseLong(s.substring(s.charAt(j) == '+' ? j + 1 : j, i));
			}
			catch (NumberFormatException e)
			{
				throw fail("number out of range");
			}
		}

		String quoted() throws SQLException
		{
			i++;
			StringBuilder out = new StringBuilder();
			for (;;)
			{
				int c = peek();
				if (c < 0)
					throw fail("unterminated quoted key");
				i++;
				if (c == '"')
					return out.toString();
				if (c == '\\')
				{
					c = peek();
					if (c < 0)
						throw fail("unterminated quoted key");
					i++;
				}
				out.append((char) c);
			}
		}

		Tally parse() throws SQLException
		{
			Long reg = null, c = null, inv = null;
			Map<Object, Long> v = null;
			boolean any = false;
			for (;;)
			{
				ws();
				if (i == s.length())
					break;
				int j = i;
				while (peek() >= 'a' && peek() <= 'z')
					i++;
				String name = s.substring(j, i);
				expect('=');
				any = true;
				if (name.equals("registered") && reg == null)
					reg = integer();
				else if (name.equals("cast") && c == null)
					c = integer();
				else if (name.equals("invalid") && inv == null)
					inv = integer();
				else if (name.equals("votes") && v == null)
					v = votes();
				else
					throw fail("unknown or repeated field " + name);
			}
			if (!any)
				throw fail("no fields");
			try
			{
				return new Tally(v == null ? Collections.emptyMap() : v, c, inv == null ? 0 : inv, reg);
			}
			catch (IllegalArgumentException | ArithmeticException e)
			{
				throw fail(e.getMessage());
			}
		}

		Map<Object, Long> votes() throws SQLException
		{
			expect('{');
			LinkedHashMap<Object, Long> v = new LinkedHashMap<>();
			ws();
			if (peek() == '}')
			{
				i++;
				return v;
			}
			for (;;)
			{
				ws();
				Object key = peek() == '"' ? quoted() : (Object) integer();
				expect(':');
				if (v.put(key, integer()) != null)
					throw fail("repeated candidate " + key);
				ws();
				int c = peek();
				i++;
				if (c == '}')
					return v;
				if (c != ',')
					throw fail("expected ',' or '}'");
			}
		}
	}
}

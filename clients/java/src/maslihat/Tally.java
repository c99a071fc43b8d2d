/*
 * Tally.java
 *	  maslihat's tally for pgjdbc: registered voters (null when unknown),
 *	  ballots cast, blank or invalid ballots, votes by candidate key (all
 *	  Long or all String), and the 0.2.0 trailer: blank ballots among the
 *	  invalid ones and ballots issued (each null when unknown), parts and
 *	  provisional parts (0 and 0: no parts mark); every count an exact long.
 *
 * Registered with Maslihat.registerTypes(connection): getObject of a tally
 * column is a Tally in text and in binary transfer, and a Tally given to
 * setObject is sent as a tally (binary when the driver transfers binary).
 *
 * Text form:   registered=1000 cast=620 invalid=3 votes={17:300,42:317}
 *              cast=620 votes={"Jones":317,"Smith \"Jr\"":300}
 *              registered=1000 issued=625 cast=620 invalid=3 blank=1
 *                votes={17:300,42:317} parts=1 provisional=1
 *              (issued only when known; blank only when known and invalid
 *              is above 0, since with invalid 0 blank is 0; parts and
 *              provisional only when parts is above 0)
 * Binary form: big-endian uint8 version (1), uint8 flags (0x01 registered
 *              known, 0x02 text keys, 0x04 blank known, 0x08 issued known,
 *              0x10 parts), int64 registered, int64 cast, int64 invalid,
 *              uint32 n, then n x (int64 candidate, int64 votes) or n x
 *              (uint32 length, UTF-8 bytes, int64 votes), then int64 blank
 *              (0x04, only when invalid is above 0), int64 issued (0x08),
 *              int64 parts and int64 provisional (0x10, only when parts is
 *              above 0).
 *
 * clients/java/src/maslihat/Tally.java
 */
package maslihat;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
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
	/* still 1: 0.2.0 only added fields, a compatible change; readObject checks them */
	private static final long serialVersionUID = 1L;

	private static final int FLAG_REGISTERED = 0x01;
	private static final int FLAG_TEXT_KEYS = 0x02;
	private static final int FLAG_BLANK = 0x04;
	private static final int FLAG_ISSUED = 0x08;
	private static final int FLAG_PARTS = 0x10;
	private static final int FLAGS_ALL = 0x1f;
	private static final int HEADER = 30;
	/* the server's white space in the text form (tally_text.c) */
	private static final String SPACE = " \t\n\r\f\u000b";

	private Long registered;
	private long cast;
	private long invalid;
	private Map<Object, Long> votes = Collections.emptyMap();
	/* known (0) when invalid is 0, as the server reads it */
	private Long blank = 0L;
	private Long issued;
	private long parts;
	private long provisional;

	/** For the driver: getObject fills it with setValue or setByteValue. */
	public Tally()
	{
		type = "tally";
	}

	/**
	 * votes: candidate key (all Long or all String) to votes; cast null
	 * means the sum of the votes and invalid; registered null means unknown.
	 * No trailer: blank unknown (0 when invalid is 0), issued unknown, no
	 * parts mark.
	 */
	public Tally(Map<?, Long> votes, Long cast, long invalid, Long registered)
	{
		this(votes, cast, invalid, registered, null, null, 0, 0);
	}

	/**
	 * The same with the trailer: blank (blank ballots among invalid, 0 to
	 * invalid) and issued (ballots issued, at most registered when that is
	 * known) null when unknown; parts (0: no parts mark) and provisional
	 * (0 to parts).  With invalid 0, blank is 0 (null or 0 given).
	 * IllegalArgumentException where the server would refuse the tally:
	 * votes plus invalid above cast, cast above registered, a text key
	 * with NUL or an unpaired surrogate, and the bounds above.
	 */
	public Tally(Map<?, Long> votes, Long cast, long invalid, Long registered,
				 Long blank, Long issued, long parts, long provisional)
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
			/* an unpaired surrogate has no UTF-8 form: getBytes would write '?' for it */
			if (k instanceof String && !StandardCharsets.UTF_8.newEncoder().canEncode((String) k))
				throw new IllegalArgumentException("a candidate key must be valid Unicode (an unpaired surrogate in \""
												   + k + "\")");
			if (e.getValue() == null || e.getValue() < 0)
				throw new IllegalArgumentException("votes must be a count of 0 or more");
			sum = Math.addExact(sum, e.getValue());
		}
		entries.sort(Comparator.comparing(Map.Entry::getKey, Tally::compareKeys));
		LinkedHashMap<Object, Long> sorted = new LinkedHashMap<>();
		for (Map.Entry<?, Long> e : entries)
			sorted.put(e.getKey(), e.getValue());
		if (invalid < 0 || (cast != null && cast < 0) || (registered != null && registered < 0)
			|| (blank != null && blank < 0) || (issued != null && issued < 0) || parts < 0 || provisional < 0)
			throw new IllegalArgumentException("counts must be 0 or more");
		if (cast != null && sum > cast)
			throw new IllegalArgumentException("candidate votes (" + (sum - invalid) + ") plus blank or invalid ballots ("
											   + invalid + ") exceed ballots cast (" + cast + ")");
		if (registered != null && (cast == null ? sum : cast) > registered)
			throw new IllegalArgumentException("ballots cast (" + (cast == null ? sum : cast)
											   + ") exceed registered voters (" + registered + ")");
		if (blank != null && blank > invalid)
			throw new IllegalArgumentException("blank ballots (" + blank + ") exceed blank or invalid ballots (" + invalid + ")");
		if (issued != null && registered != null && issued > registered)
			throw new IllegalArgumentException("ballots issued (" + issued + ") exceed registered voters (" + registered + ")");
		if (provisional > parts)
			throw new IllegalArgumentException("provisional parts (" + provisional + ") exceed parts (" + parts + ")");
		this.votes = Collections.unmodifiableMap(sorted);
		this.invalid = invalid;
		this.cast = cast == null ? sum : cast;
		this.registered = registered;
		this.blank = invalid == 0 ? Long.valueOf(0) : blank;
		this.issued = issued;
		this.parts = parts;
		this.provisional = provisional;
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

	/** Blank ballots among the blank or invalid ones, or null when unknown (0 when invalid is 0). */
	public Long getBlank()
	{
		return blank;
	}

	/** Ballots issued (voters admitted), or null when unknown. */
	public Long getIssued()
	{
		return issued;
	}

	/** Parts (station protocols) the tally holds; 0 is no parts mark. */
	public long getParts()
	{
		return parts;
	}

	/** How many of the parts are provisional (0 with parts above 0: final). */
	public long getProvisional()
	{
		return provisional;
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
		if (issued != null)
			sb.append("issued=").append(issued).append(' ');
		sb.append("cast=").append(cast).append(" invalid=").append(invalid).append(' ');
		if (blankWritten())
			sb.append("blank=").append(blank).append(' ');
		sb.append("votes={");
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
		sb.append('}');
		if (parts > 0)
			sb.append(" parts=").append(parts).append(" provisional=").append(provisional);
		return sb.toString();
	}

	/* blank is written (text field, binary flag) only when known and invalid is above 0 */
	private boolean blankWritten()
	{
		return blank != null && invalid > 0;
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
			&& new ArrayList<>(votes.entrySet()).equals(new ArrayList<>(t.votes.entrySet()))
			&& java.util.Objects.equals(blank, t.blank) && java.util.Objects.equals(issued, t.issued)
			&& parts == t.parts && provisional == t.provisional;
	}

	@Override
	public int hashCode()
	{
		return java.util.Objects.hash(registered, cast, invalid, votes, blank, issued, parts, provisional);
	}

	/*
	 * A deserialized tally is checked as a constructed one is: a stream is
	 * input like any other.  A stream of 0.1.0 has no trailer's fields, so
	 * blank reads as unknown, and as 0 (known) when invalid is 0.
	 */
	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException
	{
		in.defaultReadObject();
		try
		{
			copyFrom(new Tally(votes == null ? Collections.emptyMap() : votes, cast, invalid, registered,
							   blank, issued, parts, provisional));
		}
		catch (IllegalArgumentException | ArithmeticException | ClassCastException e)
		{
			throw new InvalidObjectException("not a tally: " + e.getMessage());
		}
	}

	private void copyFrom(Tally t)
	{
		registered = t.registered;
		cast = t.cast;
		invalid = t.invalid;
		votes = t.votes;
		blank = t.blank;
		issued = t.issued;
		parts = t.parts;
		provisional = t.provisional;
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
		if ((flags & ~FLAGS_ALL) != 0)
			throw bad("unknown binary tally flags 0x" + Integer.toHexString(flags));
		long reg = b.getLong();
		long c = b.getLong();
		long inv = b.getLong();
		long n = b.getInt() & 0xffffffffL;
		if ((flags & FLAG_REGISTERED) == 0 && reg != 0)
			throw bad("binary tally with registered " + reg + " but no flag 0x01 (unknown is 0)");
		if ((flags & FLAG_TEXT_KEYS) != 0 && n == 0)
			throw bad("binary tally with the text-key flag 0x02 and no candidates");
		LinkedHashMap<Object, Long> v = new LinkedHashMap<>();
		Object previous = null;
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
			/* as the server: the candidates come in the canonical order, never sorted here */
			if (previous != null && compareKeys(previous, key) > 0)
				throw bad("candidate " + key + " is out of ascending order in a binary tally");
			previous = key;
		}
		if (b.remaining() < trailerSize(flags))
			throw bad("binary tally ends inside its trailer");
		Long bl = (flags & FLAG_BLANK) != 0 ? Long.valueOf(b.getLong()) : null;
		Long iss = (flags & FLAG_ISSUED) != 0 ? Long.valueOf(b.getLong()) : null;
		long p = (flags & FLAG_PARTS) != 0 ? b.getLong() : 0;
		long prov = (flags & FLAG_PARTS) != 0 ? b.getLong() : 0;
		if (b.remaining() != 0)
			throw bad(b.remaining() + " bytes after a binary tally");
		if ((flags & FLAG_BLANK) != 0 && inv == 0)
			throw bad("binary tally stores blank ballots (" + bl + ") although invalid is 0");
		if ((flags & FLAG_PARTS) != 0 && p == 0)
			throw bad("binary tally stores a parts mark with 0 parts (" + prov + " provisional)");
		try
		{
			copyFrom(new Tally(v, c, inv, (flags & FLAG_REGISTERED) != 0 ? reg : null, bl, iss, p, prov));
		}
		catch (IllegalArgumentException | ArithmeticException e)
		{
			throw bad("invalid binary tally: " + e.getMessage());
		}
	}

	/* Bytes of the trailer these flags announce. */
	private static int trailerSize(int flags)
	{
		return ((flags & FLAG_BLANK) != 0 ? 8 : 0) + ((flags & FLAG_ISSUED) != 0 ? 8 : 0)
			+ ((flags & FLAG_PARTS) != 0 ? 16 : 0);
	}

	/* The trailer flags of this tally, in canonical form. */
	private int trailerFlags()
	{
		return (blankWritten() ? FLAG_BLANK : 0) | (issued != null ? FLAG_ISSUED : 0) | (parts > 0 ? FLAG_PARTS : 0);
	}

	@Override
	public int lengthInBytes()
	{
		int size = HEADER + trailerSize(trailerFlags());
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
		int trailer = trailerFlags();
		b.put((byte) ((registered != null ? FLAG_REGISTERED : 0) | (text ? FLAG_TEXT_KEYS : 0) | trailer));
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
		if ((trailer & FLAG_BLANK) != 0)
			b.putLong(blank);
		if ((trailer & FLAG_ISSUED) != 0)
			b.putLong(issued);
		if ((trailer & FLAG_PARTS) != 0)
			b.putLong(parts).putLong(provisional);
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
			while (i < s.length() && SPACE.indexOf(s.charAt(i)) >= 0)
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
					/* as the server: no other escape (a newline, a Unicode code) */
					if (c != '"' && c != '\\')
						throw fail("only \\\" and \\\\ may be escaped in a key, not \\" + (char) c);
					i++;
				}
				out.append((char) c);
			}
		}

		Tally parse() throws SQLException
		{
			Long reg = null, c = null, inv = null, bl = null, iss = null, p = null, prov = null;
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
				else if (name.equals("issued") && iss == null)
					iss = integer();
				else if (name.equals("blank") && bl == null)
					bl = integer();
				else if (name.equals("parts") && p == null)
					p = integer();
				else if (name.equals("provisional") && prov == null)
					prov = integer();
				else
					throw fail("unknown or repeated field " + name);
				/* as the server: a field ends at white space or the end */
				if (i < s.length() && SPACE.indexOf(s.charAt(i)) < 0)
					throw fail("expected white space between fields");
			}
			if (!any)
				throw fail("no fields");
			try
			{
				return new Tally(v == null ? Collections.emptyMap() : v, c, inv == null ? 0 : inv, reg,
								 bl, iss, p == null ? 0 : p, prov == null ? 0 : prov);
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

/*
 * For test/sh/clients_forms.sh: clients/java's reading of the values of a
 * corpus of test/clients/forms.py (stdin), as forms.py python writes it:
 * "x" and the hex of the text form maslihat.Tally reads, "-" when it
 * refuses the value, "!" and the exception's class if anything else
 * escapes (a defect).
 *   java FormsRead text|binary
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HexFormat;

import maslihat.Tally;

public class FormsRead
{
	public static void main(String[] args) throws Exception
	{
		boolean text = args[0].equals("text");
		if (!text && !args[0].equals("binary"))
			throw new IllegalArgumentException("form is text or binary, not " + args[0]);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		StringBuilder out = new StringBuilder();
		HexFormat hex = HexFormat.of();
		for (String line; (line = in.readLine()) != null;)
		{
			if (line.isEmpty())
				continue;
			byte[] value = hex.parseHex(line.substring(1));
			try
			{
				Tally t = text ? Tally.parse(new String(value, StandardCharsets.UTF_8)) : Tally.fromBinary(value);
				String read = t.getValue();
				out.append('x').append(hex.formatHex(read.getBytes(StandardCharsets.UTF_8)));
			}
			catch (SQLException e)
			{
				out.append('-');
			}
			catch (RuntimeException e)
			{
				out.append('!').append(e.getClass().getName());
			}
			out.append('\n');
		}
		System.out.print(out);
	}
}

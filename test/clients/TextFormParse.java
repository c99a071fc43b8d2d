/*
 * For test/sh/clients_text_form.sh: reads tally texts, one a line as "x"
 * and the hex of their UTF-8 bytes, and prints for each what
 * maslihat.Tally.parse makes of it: "x" and the hex of its text form, "-" if it refuses the text, or
 * "!" and the exception's class if anything else escapes (a defect).
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HexFormat;

import maslihat.Tally;

public class TextFormParse
{
	public static void main(String[] args) throws Exception
	{
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		StringBuilder out = new StringBuilder();
		HexFormat hex = HexFormat.of();
		for (String line; (line = in.readLine()) != null;)
		{
			String text = new String(hex.parseHex(line.substring(1)), StandardCharsets.UTF_8);
			try
			{
				String read = Tally.parse(text).getValue();
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

/*
 * Level.java
 *	  maslihat_level, the level of a mäslihat: DISTRICT < CITY < REGIONAL,
 *	  ordered as the SQL enum (a Java enum compares by declaration order).
 *
 * clients/java/src/maslihat/Level.java
 */
package maslihat;

public enum Level
{
	DISTRICT("district"), CITY("city"), REGIONAL("regional");

	private final String label;

	Level(String label)
	{
		this.label = label;
	}

	/** The SQL label: district, city or regional. */
	public String label()
	{
		return label;
	}

	/** The constant for a SQL label. */
	public static Level of(String label)
	{
		for (Level l : values())
			if (l.label.equals(label))
				return l;
		throw new IllegalArgumentException("not a maslihat_level: " + label);
	}
}

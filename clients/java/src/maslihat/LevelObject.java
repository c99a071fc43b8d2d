/*
 * LevelObject.java
 *	  A maslihat_level parameter for pgjdbc: setObject of one sends a
 *	  maslihat_level (setString would send a varchar, which needs a cast).
 *	  pgjdbc reads enum columns as String whatever is registered: read a
 *	  level with Level.of(rs.getString(...)).
 *
 * clients/java/src/maslihat/LevelObject.java
 */
package maslihat;

import java.sql.SQLException;

import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

public class LevelObject extends PGobject
{
	private static final long serialVersionUID = 1L;

	private Level level;

	public LevelObject()
	{
		type = "maslihat_level";
	}

	public LevelObject(Level level)
	{
		this();
		this.level = level;
		this.value = level.label();
	}

	@Override
	public void setValue(String value) throws SQLException
	{
		try
		{
			level = value == null ? null : Level.of(value);
		}
		catch (IllegalArgumentException e)
		{
			throw new PSQLException(e.getMessage(), PSQLState.DATA_ERROR);
		}
		this.value = value;
	}

	public Level getLevel()
	{
		return level;
	}
}

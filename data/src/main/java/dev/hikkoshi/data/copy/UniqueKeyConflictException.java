package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;

/**
 * Writing a source row to the target would duplicate a secondary unique key of another target row. The key
 * sync reports it and stops rather than resolve it by changing or deleting the other row (which may be another
 * tenant's). Thrown by {@link KeySync}; a stream that hits it becomes FAILED with this message.
 */
public class UniqueKeyConflictException extends UserException {
    private final String table;
    private final String key;
    private final String uniqueKey;

    public UniqueKeyConflictException(String table, String key, String uniqueKey, String target) {
        super("unique key conflict in table " + table + " on " + target + ": the source row " + key
                        + " cannot be written because another target row has the same value of unique key " + uniqueKey,
                "resolve the other row on the target by hand (hikkoshi never changes another row to make room),"
                        + " then run 'hikkoshi data resume'");
        this.table = table;
        this.key = key;
        this.uniqueKey = uniqueKey;
    }

    public String table() {
        return table;
    }

    /** The source row's key as text ({@code id=42}). */
    public String key() {
        return key;
    }

    public String uniqueKey() {
        return uniqueKey;
    }
}

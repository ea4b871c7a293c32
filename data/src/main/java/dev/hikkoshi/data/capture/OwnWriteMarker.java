package dev.hikkoshi.data.capture;

/**
 * Where hikkoshi marks its own writes on a source: a row written into {@code hikkoshi.write_marker} in the same
 * transaction as the rows it applies (reverse sync, repair, purge). A binlog capture that sees a change of this
 * table in a transaction delivers it with {@link ChangeTransaction#ownWrite()} set, so the bypass-write watch
 * never reports hikkoshi's own writes. The stream core creates the table and writes the row; captures read it.
 */
public final class OwnWriteMarker {
    /** hikkoshi's own schema on every site it writes to. */
    public static final String SCHEMA = "hikkoshi";
    /** The marker table in {@link #SCHEMA}. */
    public static final String TABLE = "write_marker";

    private OwnWriteMarker() {
    }

    /** True when {@code schema.table} is the marker table (names compared case-insensitively, as MySQL may fold them). */
    public static boolean isMarker(String schema, String table) {
        return SCHEMA.equalsIgnoreCase(schema) && TABLE.equalsIgnoreCase(table);
    }
}

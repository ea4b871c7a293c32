package dev.hikkoshi.data.config;

/**
 * How a bulk copy writes a chunk's rows to the target ({@code data.copy.write}); docs/data.md, "Bulk copy".
 */
public enum CopyWrite {
    /**
     * {@link #LOAD_DATA} where the target allows it ({@code local_infile} on), else {@link #INSERT}; also INSERTs for
     * a non-transactional table, and for a tenant's rows of a table whose LOAD DATA would hold its AUTO-INC lock.
     */
    AUTO,
    /** Multi-row {@code INSERT ... ON DUPLICATE KEY UPDATE} statements built by hikkoshi. */
    INSERT,
    /**
     * {@code LOAD DATA LOCAL INFILE} fed from memory: the target parses tab-separated fields instead of SQL,
     * about half its CPU per row. A target that refuses it fails the copy with the fix.
     */
    LOAD_DATA
}

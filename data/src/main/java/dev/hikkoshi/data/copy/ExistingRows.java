package dev.hikkoshi.data.copy;

/** What an INSERT of a copied row does when the target already has a row with its key. */
public enum ExistingRows {
    /** Leave the target's row as it is (bulk copy: a row written by the change stream is newer). */
    KEEP,
    /**
     * Fail with the server's duplicate-key error: the key sync inserts only rows it found missing, so a
     * duplicate is a secondary unique-key conflict to report, never to resolve by touching another row.
     */
    FAIL,
    /**
     * Update the target's row to the copied values ({@code ON DUPLICATE KEY UPDATE} every written column): the
     * key sync's one-statement form of "update by key, insert when missing", only for a target table whose one
     * unique index is the row key and that has no triggers ({@link KeySync#upsert} says why).
     */
    UPDATE
}

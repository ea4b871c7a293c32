package dev.hikkoshi.data.copy;

/** What copying a row does when the target already has a row with its key. */
public enum ExistingRows {
    /** Leave the target's row as it is (bulk copy: a row written by the change stream is newer). */
    KEEP,
    /** Delete the target's row of that key (within the tenant) and write the source's (repair). */
    REPLACE
}

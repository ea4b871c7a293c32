package dev.hikkoshi.data.copy;

/**
 * Named points in a chunk's copy, where {@link CopyHooks} are called: crash tests stop a child JVM at each of
 * them, and the lock test looks at the source while a chunk is in flight.
 */
public enum CopyPoint {
    /** A multi-row INSERT of the chunk has run; the target transaction is open. */
    AFTER_INSERT,
    /** The chunk's rows and checkpoint are written, the target transaction not yet committed. */
    BEFORE_TARGET_COMMIT,
    /** The target committed; the source's share locks are not yet released. */
    AFTER_TARGET_COMMIT
}

package dev.hikkoshi.cutover.move;

/**
 * Note keys the steps of this package write for each other beyond the shared {@link NoteKeys}: when a freeze
 * began (so that a later step measures the hold against {@code freeze.max}) and the rollback's freeze time.
 */
public final class StepNotes {
    /** When the forward freeze began, epoch milliseconds (written by FROZEN, read by FINAL_SYNC and SWITCHED). */
    public static final String FREEZE_STARTED = "freeze.started";
    /** The old site's change position noted while frozen: the bypass-write watch reads from here after the switch. */
    public static final String OLD_SITE_POSITION = "old.position";
    /** When the rollback's freeze began, epoch milliseconds. */
    public static final String ROLLBACK_FREEZE_STARTED = "rollback.freeze.started";
    /** The longest time a request of the tenant was held during the rollback, in milliseconds. */
    public static final String ROLLBACK_FREEZE_MILLIS = "rollback.freeze.millis";
    /** The routing-table version that placed the tenant back on its old site. */
    public static final String ROLLBACK_VERSION = "rollback.version";

    private StepNotes() {
    }
}

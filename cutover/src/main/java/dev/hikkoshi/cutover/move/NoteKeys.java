package dev.hikkoshi.cutover.move;

/** The keys steps use in {@link MoveAttempt#notes()}: shared by the steps that write and read them. */
public final class NoteKeys {
    /** The old site's change position noted before the copy started. */
    public static final String FORWARD_POSITION = "forward.position";
    /** The new site's change position noted while the tenant was still frozen, before the switch. */
    public static final String REVERSE_POSITION = "reverse.position";
    /** The longest time a request of the tenant was held, in milliseconds. */
    public static final String FREEZE_MILLIS = "freeze.millis";
    /** The routing-table version that placed the tenant on the new site. */
    public static final String SWITCH_VERSION = "switch.version";
    /** The tenant's 5xx rate and p99 on the old site before the move, as the rollback line's baseline. */
    public static final String BASELINE = "baseline";
    /**
     * Marks a stay that waits for an operator's approval, naming the state to go to once approved (set by
     * {@link StepOutcome#awaitApproval}; never journaled, since stays are not).
     */
    public static final String APPROVAL_NEXT = "approval.next";

    private NoteKeys() {
    }
}

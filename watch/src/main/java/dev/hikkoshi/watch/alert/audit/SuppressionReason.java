package dev.hikkoshi.watch.alert.audit;

/** Why the pipeline did not send (or not yet send) something; each has one line in the audit log. */
public enum SuppressionReason {
    /** A firing evaluation that has not yet held for N of the last M evaluations, or a clear not yet held long enough. */
    FLAPPING,
    /** No route matches the alert's labels. */
    NO_ROUTE,
    /** The route's receiver does not accept the alert's environment. */
    OUT_OF_SCOPE,
    /** The alert joined a group and waits for the group's next notification instead of sending its own. */
    GROUPED,
    /** An active silence matches the alert. */
    SILENCED,
    /** An inhibition rule (or a tenant's rollback) mutes the alert. */
    INHIBITED,
    /** The alert's tenant is frozen for its move; the alert waits for the freeze to end. */
    HELD_FOR_FREEZE,
    /** The receiver's message budget for the last minute is spent; the group went into a digest or waits. */
    OVER_BUDGET,
    /** The alert resolved before any message named it, so no resolution is sent either. */
    NEVER_NOTIFIED,
    /** A notifier could not deliver (configuration error, queue full, retries exhausted). */
    UNDELIVERED
}

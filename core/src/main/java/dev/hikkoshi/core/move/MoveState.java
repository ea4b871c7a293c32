package dev.hikkoshi.core.move;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of one tenant's move, exactly as the architecture names them. Each state declares the states it
 * may go to; the cutover engine refuses any other transition, and the watch module reads states and their
 * ages. Owned by the cutover engine; kept in {@code core} because watch sees moves only through core.
 */
public enum MoveState {
    /** Waiting for its wave; the tenant is served by its old site. */
    PLANNED,
    /** Change position noted, rows copied (after removing what an earlier attempt left), changes streamed. */
    COPYING,
    /** Copy done and the stream's lag under threshold; waits until the estimated final sync fits the freeze. */
    SYNCED,
    /** Every router holds the tenant's new requests and drained its in-flight ones to the old site. */
    FROZEN,
    /** The stream drained to the source's current position and the dirty rows verified. */
    FINAL_SYNC,
    /** New site's position noted while frozen, reverse sync started, tenant placed on the new site, released. */
    SWITCHED,
    /** The rollback line is evaluated window by window. */
    BAKING,
    /** Baked; the reverse sync keeps running, so a rollback is still possible. */
    DONE,
    /** Reverse sync stopped and hikkoshi's objects removed: a rollback is refused. */
    FINALIZED,
    /** Releasing the tenant back to its old site after a failed step before the switch. */
    ABORTING,
    /** Routers hold the tenant on the new site for a rollback. */
    ROLLBACK_FROZEN,
    /** The reverse stream drained and verified. */
    ROLLBACK_SYNC,
    /** Placed back on the old site and released; its rows on the new site are cleaned up next. */
    ROLLED_BACK,
    /** A human must look; nothing is released blindly. */
    FAILED;

    /** The states this one may go to (every state may also go to {@link #FAILED}). */
    public Set<MoveState> successors() {
        Set<MoveState> next = switch (this) {
            case PLANNED -> EnumSet.of(COPYING);
            case COPYING -> EnumSet.of(SYNCED, ABORTING);
            case SYNCED -> EnumSet.of(FROZEN, ABORTING);
            case FROZEN -> EnumSet.of(FINAL_SYNC, ABORTING);
            case FINAL_SYNC -> EnumSet.of(SWITCHED, ABORTING);
            case SWITCHED -> EnumSet.of(BAKING, ROLLBACK_FROZEN);
            case BAKING -> EnumSet.of(DONE, ROLLBACK_FROZEN);
            case DONE -> EnumSet.of(FINALIZED, ROLLBACK_FROZEN);
            case FINALIZED -> EnumSet.noneOf(MoveState.class);
            case ABORTING -> EnumSet.of(PLANNED);
            case ROLLBACK_FROZEN -> EnumSet.of(ROLLBACK_SYNC);
            case ROLLBACK_SYNC -> EnumSet.of(ROLLED_BACK);
            case ROLLED_BACK -> EnumSet.of(PLANNED);
            case FAILED -> EnumSet.noneOf(MoveState.class);
        };
        if (this != FAILED && this != FINALIZED) {
            next.add(FAILED);
        }
        return next;
    }

    public boolean mayGoTo(MoveState next) {
        return successors().contains(next);
    }

    /** Routers hold the tenant's requests in this state; a controller resuming into it freezes again first. */
    public boolean frozen() {
        return this == FROZEN || this == FINAL_SYNC || this == ROLLBACK_FROZEN || this == ROLLBACK_SYNC;
    }

    /** The tenant is served by (and writes to) the new site in this state. */
    public boolean onNewSite() {
        return this == SWITCHED || this == BAKING || this == DONE || this == FINALIZED || this == ROLLBACK_FROZEN
                || this == ROLLBACK_SYNC;
    }

    /** No step runs from here without an operator: FINALIZED and FAILED. */
    public boolean settled() {
        return this == FINALIZED || this == FAILED;
    }
}

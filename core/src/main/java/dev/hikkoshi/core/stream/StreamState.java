package dev.hikkoshi.core.stream;

import java.util.Set;

/**
 * Where a change stream is in its life. Each state lists the states it may move to; an illegal transition is
 * a bug in the stream's owner.
 */
public enum StreamState {
    /** Position noted, capture being set up (triggers installed, tailer subscribed). */
    STARTING,
    /** Applying changes made while the copy ran; lag still above the threshold. */
    CATCHING_UP,
    /** Applying changes as they come; lag below the threshold. */
    STREAMING,
    /** Stopped by a DDL on an in-scope table, a statement-format event or an unknown event: needs an operator. */
    STOPPED,
    /** Failed applying or reading (a unique-key conflict, lost binlog retention...): needs an operator. */
    FAILED,
    /** Finished on purpose (finalize, uninstall); nothing installed remains. */
    CLOSED;

    public Set<StreamState> successors() {
        return switch (this) {
            case STARTING -> Set.of(CATCHING_UP, STOPPED, FAILED, CLOSED);
            case CATCHING_UP -> Set.of(STREAMING, STOPPED, FAILED, CLOSED);
            case STREAMING -> Set.of(CATCHING_UP, STOPPED, FAILED, CLOSED);
            case STOPPED -> Set.of(STARTING, CLOSED);
            case FAILED -> Set.of(STARTING, CLOSED);
            case CLOSED -> Set.of();
        };
    }

    public boolean canMoveTo(StreamState next) {
        return successors().contains(next);
    }
}

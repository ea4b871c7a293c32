package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvents;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent move events, numbered, for {@code GET /events?after=SEQ} of the controller's admin API, so
 * that a remote reader (the watch module, a dashboard) can poll the stream without missing what happened
 * between two polls, as long as it polls before {@value #CAPACITY} newer events push them out.
 *
 * <p>Concurrency: the publisher's thread appends and admin workers read, both under this object's lock; an
 * append is a few field writes, so the publisher is never held up for long.
 */
final class MoveEventLog implements AutoCloseable {
    static final int CAPACITY = 1000;

    /** An event with its number; numbers start at 1 and only grow. */
    record Numbered(long seq, MoveEvent event) {
    }

    private final ArrayDeque<Numbered> recent = new ArrayDeque<>();
    private final AutoCloseable subscription;
    private long lastSeq;

    MoveEventLog(MoveEvents events) {
        this.subscription = events.subscribe(this::add);
    }

    private synchronized void add(MoveEvent event) {
        if (recent.size() == CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(new Numbered(++lastSeq, event));
    }

    /** The events numbered above {@code after}, oldest first, at most {@code limit}. */
    synchronized List<Numbered> after(long after, int limit) {
        List<Numbered> out = new ArrayList<>();
        for (Numbered n : recent) {
            if (n.seq() > after && out.size() < limit) {
                out.add(n);
            }
        }
        return out;
    }

    /** The number of the newest event, 0 before the first. */
    synchronized long lastSeq() {
        return lastSeq;
    }

    /** The number of the oldest event still held, or {@code lastSeq + 1} when none is. */
    synchronized long firstHeld() {
        return recent.isEmpty() ? lastSeq + 1 : recent.peekFirst().seq();
    }

    /** Stops receiving events. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("unsubscribing from the move events failed", e);
        }
    }
}

package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Outcome;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every request the {@link RecordingBackend}s sharing this log served, as one globally ordered list of
 * {@link ExchangeEvent}s; the router's acceptance tests and the demo read it.
 *
 * <p>Concurrency: backends record from their event loops at the moment a request head arrives, and a response's
 * end with the sequence number {@link #reserve}d as its last byte was handed to the socket: the write's
 * listener runs after the bytes left, and on a loaded machine after the router has already read them, so a
 * number taken there could come after a marker the test placed on seeing the answer. The list is kept in
 * sequence order (a late completion is inserted at its place); a number is never reused, and is skipped only
 * when a reserved completion is not recorded (its exchange had already ended). The log keeps every event (a
 * test tool: a few hundred thousand events are a few tens of MB).
 */
public final class ExchangeLog {
    private final AtomicLong sequence = new AtomicLong();
    private final List<ExchangeEvent> events = new ArrayList<>();

    Received received(BackendRequest request) {
        synchronized (events) {
            return append(new Received(sequence.incrementAndGet(), Instant.now(), request));
        }
    }

    /** A sequence number for an event recorded later ({@link #completed}), ordered before every later event. */
    long reserve() {
        return sequence.incrementAndGet();
    }

    Completed completed(long reserved, BackendRequest request, int status, long requestBodyBytes,
                        long responseBodyBytes, Outcome outcome) {
        Completed event = new Completed(reserved, Instant.now(), request, status, requestBodyBytes,
                responseBodyBytes, outcome);
        synchronized (events) {
            int at = events.size();
            while (at > 0 && events.get(at - 1).sequence() > reserved) {
                at--;
            }
            events.add(at, event);
            events.notifyAll();
            return event;
        }
    }

    /** Places a marker between the events recorded so far and those recorded after this call. */
    public Marker mark(String label) {
        synchronized (events) {
            return append(new Marker(sequence.incrementAndGet(), Instant.now(), label));
        }
    }

    private <E extends ExchangeEvent> E append(E event) {
        events.add(event);
        events.notifyAll();
        return event;
    }

    /** The sequence number of the last event recorded (0 when none). */
    public long lastSequence() {
        return sequence.get();
    }

    /** A copy of every event so far, in sequence order. */
    public List<ExchangeEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The events of one kind, in sequence order. */
    public <E extends ExchangeEvent> List<E> events(Class<E> kind) {
        return events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Requests received at one site, in sequence order. */
    public List<Received> received(SiteId site) {
        return events(Received.class).stream().filter(r -> r.request().site().equals(site)).toList();
    }

    /** Exchanges completed at one site, in sequence order. */
    public List<Completed> completed(SiteId site) {
        return events(Completed.class).stream().filter(c -> c.request().site().equals(site)).toList();
    }

    /**
     * Waits until an event of the given kind matching {@code condition} has been recorded (earlier events
     * count too) and returns the first such event.
     */
    public <E extends ExchangeEvent> E await(Class<E> kind, Predicate<? super E> condition, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = 0;
        synchronized (events) {
            while (true) {
                for (; scanned < events.size(); scanned++) {
                    ExchangeEvent e = events.get(scanned);
                    if (kind.isInstance(e) && condition.test(kind.cast(e))) {
                        return kind.cast(e);
                    }
                }
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    throw new TimeoutException("no " + kind.getSimpleName() + " event matched within " + timeout
                            + " (" + events.size() + " events recorded)");
                }
                Duration left = Duration.ofNanos(leftNanos);
                events.wait(Math.max(1, left.toMillis()));
            }
        }
    }

    /** Waits until at least {@code count} events of the given kind match {@code condition}. */
    public <E extends ExchangeEvent> List<E> awaitCount(Class<E> kind, Predicate<? super E> condition, int count,
                                                        Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                List<E> matching = new ArrayList<>();
                for (ExchangeEvent e : events) {
                    if (kind.isInstance(e) && condition.test(kind.cast(e))) {
                        matching.add(kind.cast(e));
                    }
                }
                if (matching.size() >= count) {
                    return List.copyOf(matching);
                }
                long leftMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (leftMillis <= 0) {
                    throw new TimeoutException("only " + matching.size() + " of " + count + " "
                            + kind.getSimpleName() + " events matched within " + timeout);
                }
                events.wait(leftMillis);
            }
        }
    }
}

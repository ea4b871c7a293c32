package dev.hikkoshi.watch.alert.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One receiver's message budget: at most {@code perMinute} messages in any sliding 60-second window, digests
 * included. The pipeline asks {@link #available} before a batch and calls {@link #spend} per message sent.
 */
public final class MessageBudget {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Deque<Instant> sent = new ArrayDeque<>();

    public MessageBudget(int perMinute) {
        this.perMinute = perMinute;
    }

    public int available(Instant now) {
        while (!sent.isEmpty() && !sent.peekFirst().plus(WINDOW).isAfter(now)) {
            sent.removeFirst();
        }
        return perMinute - sent.size();
    }

    public void spend(Instant now) {
        sent.addLast(now);
    }

    /** When the oldest message of the window leaves it, freeing one message. */
    public Instant nextFree() {
        return sent.isEmpty() ? Instant.MIN : sent.peekFirst().plus(WINDOW);
    }
}

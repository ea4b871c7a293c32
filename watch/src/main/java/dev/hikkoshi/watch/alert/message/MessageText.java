package dev.hikkoshi.watch.alert.message;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The plain-text form of a {@link Message}: the title, then its lines. {@code hikkoshi alerts replay} prints it
 * with the simulated time; generic webhooks carry it as {@code text}; the Slack notifier builds its blocks from
 * the same title and lines, so every channel says the same words.
 */
public final class MessageText {
    private MessageText() {
    }

    public static String body(Message m) {
        StringBuilder b = new StringBuilder(m.title());
        m.lines().forEach(l -> b.append('\n').append(l));
        return b.toString();
    }

    /** {@code [+5m30s 06:05:30Z] to ops:} then the body, as replay prints a message. */
    public static String replayEntry(Message m, Instant start) {
        return "[+" + elapsed(Duration.between(start, m.time())) + " " + m.time() + "] to " + m.receiver() + ":\n"
                + body(m).indent(2);
    }

    /** {@code 1h2m3s}, {@code 30s}, {@code 0s}, {@code 1.250s}: compact and exact. */
    public static String elapsed(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        long rest = ms % 1000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0 || rest > 0) {
            b.append(s);
            if (rest > 0) {
                b.append(String.format(Locale.ROOT, ".%03d", rest));
            }
            b.append('s');
        }
        return b.toString();
    }

    /** {@code 1 event}, {@code 10,000 events}. */
    public static String events(long n) {
        return count(n) + (n == 1 ? " event" : " events");
    }

    /** {@code 10,000}: counts are read by people. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}

package dev.hikkoshi.watch.alert.message;

import java.time.Instant;
import java.util.List;

/**
 * One message the pipeline sends to one receiver: a title and body lines, plus the facts tests and notifiers need
 * (its kind, the group it is about, the number of events it counts). Rendered to text by {@link MessageText}
 * (replay output, generic webhooks) and to Block Kit by the Slack notifier, from the same lines.
 */
public record Message(String receiver, Instant time, Kind kind, String group, String title, List<String> lines,
                      long events) {
    /** What a message is. */
    public enum Kind {
        /** A group's first notification. */
        FIRING,
        /** A group changed (new alerts, more events, some resolved) since its last notification. */
        UPDATE,
        /** Nothing changed for the repeat interval: the group's firing alerts again. */
        REPEAT,
        /** Every alert the group had notified has resolved. */
        RESOLVED,
        /** The receiver's budget was spent: the groups that did not fit, summarized. */
        DIGEST
    }

    public Message {
        lines = List.copyOf(lines);
    }
}

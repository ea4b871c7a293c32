package dev.hikkoshi.watch.notify;

/**
 * A message a notifier could not deliver, reported to the notifier's owner (the alert service, which logs it
 * and writes it to the audit log). A {@link Kind#CONFIGURATION} problem is reported once per notifier: it then
 * refuses further messages instead of retrying forever.
 */
public record DeliveryProblem(String receiver, String channel, Kind kind, String detail) {
    /** What went wrong. */
    public enum Kind {
        /** The endpoint says the configuration is wrong (invalid_token, channel_not_found...): fix the config. */
        CONFIGURATION,
        /** The endpoint rejected this one message (invalid_payload...); later messages are still tried. */
        REJECTED,
        /** Transient failures until the retries were exhausted. */
        GAVE_UP,
        /** The queue was full: the notifier is far behind, the message was dropped. */
        QUEUE_FULL
    }

    @Override
    public String toString() {
        return channel + " notifier of receiver " + receiver + ": " + detail;
    }
}

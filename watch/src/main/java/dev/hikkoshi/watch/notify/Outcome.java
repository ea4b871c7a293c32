package dev.hikkoshi.watch.notify;

import java.time.Duration;

/** What one delivery attempt came to, as judged by the endpoint's transport. */
sealed interface Outcome {
    record Delivered() implements Outcome {
    }

    /** Rate limited: try again after the endpoint's Retry-After, without counting it as a failure. */
    record RetryAfter(Duration delay, String detail) implements Outcome {
    }

    /** Worth retrying with backoff (5xx, timeouts, refused connections). */
    record Transient(String detail) implements Outcome {
    }

    /** This message will never be accepted; drop it. */
    record Rejected(String detail) implements Outcome {
    }

    /** The endpoint's configuration is wrong; no message will be accepted until it is fixed. */
    record Misconfigured(String detail) implements Outcome {
    }
}

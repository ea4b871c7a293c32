package dev.hikkoshi.watch.notify;

import java.time.Duration;

/**
 * How a notifier delivers: at least {@code minSpacing} between two messages to one endpoint (Slack allows about
 * one a second per webhook), retries with exponential backoff from {@code firstBackoff} up to {@code maxBackoff}
 * for at most {@code maxAttempts} attempts, and a queue of at most {@code queueCapacity} messages.
 */
public record DeliveryPolicy(Duration minSpacing, Duration firstBackoff, Duration maxBackoff, int maxAttempts,
                             int queueCapacity, Duration requestTimeout) {
    /** Slack's documented pace for incoming webhooks. */
    public static final DeliveryPolicy SLACK = new DeliveryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMinutes(1), 8, 1000, Duration.ofSeconds(10));
    public static final DeliveryPolicy WEBHOOK = new DeliveryPolicy(Duration.ZERO, Duration.ofSeconds(1),
            Duration.ofMinutes(1), 8, 1000, Duration.ofSeconds(10));

    public DeliveryPolicy {
        if (maxAttempts < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxAttempts and queueCapacity must be at least 1");
        }
    }

    Duration backoff(int failedAttempts) {
        long ms = firstBackoff.toMillis() << Math.min(20, failedAttempts - 1);
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}

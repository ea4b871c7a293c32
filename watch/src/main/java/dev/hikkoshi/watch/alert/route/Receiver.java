package dev.hikkoshi.watch.alert.route;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Where messages go: a Slack incoming webhook and/or a generic JSON webhook, the environments it accepts, and
 * its message budget per minute. A receiver naming no environment accepts nothing, so that a forgotten
 * {@code env} list fails closed instead of letting staging alerts into a production channel.
 */
public record Receiver(String name, Set<String> environments, Optional<URI> slackWebhook, Optional<URI> webhook,
                       int budgetPerMinute) {
    public Receiver {
        environments = Set.copyOf(environments);
        if (budgetPerMinute < 1) {
            throw new IllegalArgumentException("budgetPerMinute must be at least 1, was " + budgetPerMinute);
        }
    }

    public boolean accepts(String environment) {
        return environments.contains(environment);
    }
}

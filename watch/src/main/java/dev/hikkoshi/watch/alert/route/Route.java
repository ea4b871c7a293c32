package dev.hikkoshi.watch.alert.route;

import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.Matcher;
import java.time.Duration;
import java.util.List;

/**
 * One routing rule: alerts whose labels match every matcher go to {@code receiver}, grouped by the
 * {@code groupBy} labels with the route's timing (see {@link dev.hikkoshi.watch.alert.group.AlertGroup} for what
 * the three durations mean). Routes are tried in order; the first match wins.
 */
public record Route(List<Matcher> matchers, String receiver, List<String> groupBy, Duration groupWait,
                    Duration groupInterval, Duration repeatInterval) {
    public Route {
        matchers = List.copyOf(matchers);
        groupBy = List.copyOf(groupBy);
        if (groupInterval.isZero() || groupInterval.isNegative()) {
            throw new IllegalArgumentException("groupInterval must be positive, was " + groupInterval);
        }
    }

    public boolean matches(Labels labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }
}

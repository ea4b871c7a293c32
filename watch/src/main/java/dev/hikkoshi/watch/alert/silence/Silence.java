package dev.hikkoshi.watch.alert.silence;

import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.Matcher;
import java.time.Instant;
import java.util.List;

/**
 * Mutes alerts matching every matcher from {@code startsAt} (inclusive) to {@code endsAt} (exclusive). Set with
 * {@code hikkoshi alerts silence add}, kept in the silence store; expiring one sets its end to now.
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment) {
    public Silence {
        matchers = List.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a silence must end after it starts: " + startsAt + " .. " + endsAt);
        }
    }

    public boolean activeAt(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(endsAt);
    }

    public boolean matches(Labels labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }
}

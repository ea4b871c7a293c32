package dev.hikkoshi.watch.alert.inhibit;

import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.Matcher;
import java.util.List;

/**
 * While an active alert matches {@code source}, alerts matching {@code target} that have the same values of the
 * {@code equal} labels are muted (as in Alertmanager's inhibit_rules). Example: source {@code check=site-down},
 * target {@code tenant=~.+}, equal {@code [site]}: a site that is down silences the per-tenant errors it causes.
 */
public record InhibitRule(List<Matcher> source, List<Matcher> target, List<String> equal) {
    public InhibitRule {
        source = List.copyOf(source);
        target = List.copyOf(target);
        equal = List.copyOf(equal);
    }

    public boolean isSource(Labels labels) {
        return source.stream().allMatch(m -> m.matches(labels));
    }

    public boolean isTarget(Labels labels) {
        return target.stream().allMatch(m -> m.matches(labels));
    }

    /** Whether {@code source} inhibits {@code target} under this rule (an alert never inhibits itself). */
    public boolean inhibits(Labels source, Labels target) {
        if (source.equals(target) || !isSource(source) || !isTarget(target)) {
            return false;
        }
        return equal.stream().allMatch(n -> source.get(n).orElse("").equals(target.get(n).orElse("")));
    }
}

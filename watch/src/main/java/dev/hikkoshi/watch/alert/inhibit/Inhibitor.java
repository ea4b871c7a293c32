package dev.hikkoshi.watch.alert.inhibit;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.MoveHold;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.group.Mute;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inhibition stage and the move facts it needs: which alerts are active (possible sources), the configured
 * rules, and each tenant's {@link MoveHold}. A frozen tenant's alerts are held; a tenant rolling back does not
 * page for its own errors (its move checks, {@link #MOVE_CHECKS}, still do). Single-threaded, owned by the pipeline.
 */
public final class Inhibitor {
    /** Checks about the move itself: a rollback must never mute them. */
    public static final Set<String> MOVE_CHECKS = Set.of("move", "split-brain", "reverse-sync");

    private final List<InhibitRule> rules;
    private final Set<Labels> active = new LinkedHashSet<>();
    private final Map<String, MoveHold> holds = new HashMap<>();

    public Inhibitor(List<InhibitRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public void activated(Labels alert) {
        active.add(alert);
    }

    public void cleared(Labels alert) {
        active.remove(alert);
    }

    public void hold(TenantId tenant, MoveHold hold) {
        if (hold == MoveHold.NONE) {
            holds.remove(tenant.value());
        } else {
            holds.put(tenant.value(), hold);
        }
    }

    public MoveHold holdOf(Labels alert) {
        return alert.get(Labels.TENANT).map(t -> holds.getOrDefault(t, MoveHold.NONE)).orElse(MoveHold.NONE);
    }

    /** Held for a freeze, or inhibited by a rollback or a rule; silences are the pipeline's other mute. */
    public Optional<Mute.Reason> check(Labels alert, Instant now) {
        MoveHold hold = holdOf(alert);
        String tenant = alert.get(Labels.TENANT).orElse("");
        boolean moveCheck = MOVE_CHECKS.contains(alert.get(Labels.CHECK).orElse(""));
        if (hold == MoveHold.FROZEN && !moveCheck) {
            return Optional.of(new Mute.Reason(SuppressionReason.HELD_FOR_FREEZE,
                    "tenant " + tenant + " is frozen for its move; held until the freeze ends"));
        }
        if (hold == MoveHold.ROLLING_BACK && !moveCheck) {
            return Optional.of(new Mute.Reason(SuppressionReason.INHIBITED,
                    "tenant " + tenant + " is rolling back; its own errors do not page"));
        }
        for (InhibitRule rule : rules) {
            if (!rule.isTarget(alert)) {
                continue;
            }
            for (Labels source : active) {
                if (rule.inhibits(source, alert)) {
                    return Optional.of(new Mute.Reason(SuppressionReason.INHIBITED, "inhibited by [" + source + "]"));
                }
            }
        }
        return Optional.empty();
    }
}

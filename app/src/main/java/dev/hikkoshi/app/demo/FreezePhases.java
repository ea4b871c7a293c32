package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The steps between a tenant's freeze and its release, timed from the engine's journaled transitions, and the
 * load's failed requests grouped by reason with the state their tenant was in: what {@link DemoReport} prints
 * so that a slow freeze or a failed request can be explained from the report alone ({@code bench/cutover.sh}
 * keeps it).
 *
 * <p>Phases of the last forward attempt of each tenant that reached BAKING: <em>freezing</em> (SYNCED -> FROZEN
 * to FROZEN -> FINAL_SYNC: the before-freeze hook, every router holding the tenant and draining its in-flight
 * requests), <em>final sync</em> (to FINAL_SYNC -> SWITCHED: drain, dirty-row verification, noting positions) and
 * <em>switch</em> (to SWITCHED -> BAKING: reverse sync started, forward stream stopped, placement and release).
 * The hold itself starts inside the freezing phase, when the routers begin holding.
 */
final class FreezePhases {
    /** One tenant's phases. */
    record Phases(TenantId tenant, Duration freezing, Duration finalSync, Duration switching) {
    }

    private FreezePhases() {
    }

    /** The phases of every tenant whose move reached BAKING, by tenant name. */
    static Map<TenantId, Phases> of(List<MoveEvent.Transition> transitions) {
        Map<TenantId, Phases> out = new TreeMap<>(java.util.Comparator.comparing(TenantId::value));
        Map<TenantId, Instant> frozen = new LinkedHashMap<>();
        Map<TenantId, Instant> syncing = new LinkedHashMap<>();
        Map<TenantId, Instant> switched = new LinkedHashMap<>();
        for (MoveEvent.Transition t : transitions) {
            if (t.from() == MoveState.SYNCED && t.to() == MoveState.FROZEN) {
                frozen.put(t.tenant(), t.at());
            } else if (t.from() == MoveState.FROZEN && t.to() == MoveState.FINAL_SYNC) {
                syncing.put(t.tenant(), t.at());
            } else if (t.from() == MoveState.FINAL_SYNC && t.to() == MoveState.SWITCHED) {
                switched.put(t.tenant(), t.at());
            } else if (t.from() == MoveState.SWITCHED && t.to() == MoveState.BAKING) {
                Instant a = frozen.get(t.tenant());
                Instant b = syncing.get(t.tenant());
                Instant c = switched.get(t.tenant());
                if (a != null && b != null && c != null) {
                    out.put(t.tenant(), new Phases(t.tenant(), Duration.between(a, b), Duration.between(b, c),
                            Duration.between(c, t.at())));
                }
            }
        }
        return out;
    }

    /** {@code freezing median 120 ms, largest 300 ms; final sync ...; switch ...}, or empty without phases. */
    static Optional<String> summary(Map<TenantId, Phases> phases) {
        if (phases.isEmpty()) {
            return Optional.empty();
        }
        List<Phases> all = new ArrayList<>(phases.values());
        return Optional.of(spread("freezing", all, Phases::freezing) + "; " + spread("final sync", all, Phases::finalSync)
                + "; " + spread("switch", all, Phases::switching));
    }

    private static String spread(String name, List<Phases> all, Function<Phases, Duration> phase) {
        List<Long> millis = all.stream().map(phase).map(Duration::toMillis).sorted().toList();
        return String.format(Locale.ROOT, "%s median %d ms, largest %d ms", name, millis.get((millis.size() - 1) / 2),
                millis.get(millis.size() - 1));
    }

    /**
     * The failed requests grouped by reason (the failure's text without its numbers, so that one cause is one
     * line), each with how many, and the first one in full with its tenant's move state when it started.
     */
    static List<String> failures(List<ShopExchange> exchanges, List<MoveEvent.Transition> transitions) {
        Map<String, List<ShopExchange>> byReason = new LinkedHashMap<>();
        exchanges.stream().filter(e -> !e.acknowledged()).forEach(e -> byReason.computeIfAbsent(
                e.operation().getClass().getSimpleName() + ": " + e.failure().orElse("").replaceAll("[0-9]+", "N"),
                k -> new ArrayList<>()).add(e));
        List<String> out = new ArrayList<>();
        byReason.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> {
                    ShopExchange first = e.getValue().get(0);
                    out.add(String.format(Locale.ROOT, "%,d x %s; first: %s, its tenant in %s", e.getValue().size(),
                            e.getKey(), first, stateAt(first.tenant(), first.startedAt(), transitions)));
                });
        return out;
    }

    /** The tenant's move state at {@code at}: the target of its last transition before, else PLANNED. */
    static String stateAt(TenantId tenant, Instant at, List<MoveEvent.Transition> transitions) {
        MoveState state = MoveState.PLANNED;
        Instant since = null;
        for (MoveEvent.Transition t : transitions) {
            if (t.tenant().equals(tenant) && !t.at().isAfter(at)) {
                state = t.to();
                since = t.at();
            }
        }
        return since == null ? state.toString()
                : state + " (entered " + Duration.between(since, at).toMillis() + " ms before it started)";
    }
}

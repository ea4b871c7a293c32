package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DESIGN.md's one invariant, as a load's clients can prove it: every request of a tenant was served by the site
 * the tenant was placed on at some moment while the request was in flight ({@link SwitchTimeline}), so no write
 * reached the old site after the switch nor the new site before it; and no request failed. The cutover
 * acceptance tests and the demo run it over a {@link ShopWorkload}'s records.
 *
 * <p>Reads are held to the same rule as writes: the router cannot tell them apart. What the clients' clocks cannot
 * show (the old site's last answer before the freeze returned) is the router's own tests' part
 * ({@code FreezeOrdering} over the backends' events).
 */
public final class RoutingInvariant {
    private RoutingInvariant() {
    }

    /** Every broken promise, in the order the requests started; empty when the run kept the invariant. */
    public static List<Violation> check(List<ShopExchange> exchanges, SwitchTimeline timeline) {
        List<ShopExchange> ordered = new ArrayList<>(exchanges);
        ordered.sort(Comparator.comparing(ShopExchange::startedAt));
        List<Violation> violations = new ArrayList<>();
        for (ShopExchange e : ordered) {
            if (!e.acknowledged()) {
                violations.add(new Violation(e.tenant(), "request failed: " + e));
                continue;
            }
            if (e.servedBy().isEmpty()) {
                violations.add(new Violation(e.tenant(), "no site named in the answer: " + e));
                continue;
            }
            String site = e.servedBy().get();
            boolean placed = timeline.periods(e.tenant()).stream()
                    .anyMatch(p -> p.site().value().equals(site) && p.overlaps(e.startedAt(), e.answeredAt()));
            if (!placed) {
                violations.add(new Violation(e.tenant(), (e.operation().write() ? "write" : "read")
                        + " served by " + site + " while the tenant was placed elsewhere (" + describe(timeline, e.tenant())
                        + "): " + e));
            }
        }
        return violations;
    }

    /** The sites that answered {@code tenant}, in the order of the answers, repeats collapsed. */
    public static List<String> servedBySequence(List<ShopExchange> exchanges, TenantId tenant) {
        List<String> sequence = new ArrayList<>();
        exchanges.stream().filter(e -> e.tenant().equals(tenant) && e.servedBy().isPresent())
                .sorted(Comparator.comparing(ShopExchange::answeredAt)).map(e -> e.servedBy().get())
                .forEach(site -> {
                    if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(site)) {
                        sequence.add(site);
                    }
                });
        return sequence;
    }

    private static String describe(SwitchTimeline timeline, TenantId tenant) {
        StringBuilder out = new StringBuilder("on ").append(timeline.initialSite(tenant));
        timeline.switches(tenant).forEach(s -> out.append(", on ").append(s.to()).append(" from ").append(s.at()));
        return out.toString();
    }
}

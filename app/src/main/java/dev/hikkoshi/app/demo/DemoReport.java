package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.RoutingInvariant;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.SwitchTimeline;
import dev.hikkoshi.sandbox.shop.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link DemoOutcome} into what {@code hikkoshi demo} prints: the set-up, per tenant its final state and
 * site, freeze time and the engine's transitions with their reasons, the load's figures, and the named checks
 * (judged from the load's records with {@link RoutingInvariant}, from {@link AckedWritesCheck}'s reports and
 * from the engine's transitions) that decide the demo's exit status.
 */
public final class DemoReport {
    static final String NO_FAILED_REQUEST = "no failed request";
    static final String NO_MISROUTED_WRITE = "no misrouted write (RoutingInvariant)";
    static final String ACKED_WRITES = "every acknowledged write on its tenant's final site (AckedWritesCheck)";
    private static final int SHOWN_VIOLATIONS = 3;

    /** One named check: whether it held, and the evidence in words. */
    public record Check(String name, boolean ok, String evidence) {
    }

    private final DemoOutcome outcome;
    private final List<Check> checks;

    public DemoReport(DemoOutcome outcome) {
        this.outcome = outcome;
        this.checks = List.of(noFailedRequest(), noMisroutedWrite(), ackedWrites(), slowRolledBack(), healthyDone());
    }

    public List<Check> checks() {
        return checks;
    }

    /** Whether every check held: the demo's exit status. */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    static String rolledBackCheck(TenantId slow) {
        return slow + " rolled back by its rollback line";
    }

    static String doneCheck(TenantId healthy) {
        return healthy + " baked healthy to DONE";
    }

    private Check noFailedRequest() {
        long failed = outcome.exchanges().stream().filter(e -> !e.acknowledged()).count();
        String evidence = String.format(Locale.ROOT, "%,d requests, %d failed", outcome.exchanges().size(), failed)
                + outcome.workloadFailure().map(f -> "; the load stopped: " + f).orElse("");
        return new Check(NO_FAILED_REQUEST, !outcome.exchanges().isEmpty() && failed == 0
                && outcome.workloadFailure().isEmpty(), evidence);
    }

    /**
     * A tenant's switch instants are taken while it was frozen: the FINAL_SYNC -> SWITCHED transition (placed on
     * the new site, not yet released) and ROLLBACK_FROZEN -> ROLLBACK_SYNC (still held on the new site).
     */
    private Check noMisroutedWrite() {
        SwitchTimeline timeline = SwitchTimeline.startingOn(ShopSites.LEGACY);
        for (MoveEvent.Transition t : outcome.transitions()) {
            if (t.from() == MoveState.FINAL_SYNC && t.to() == MoveState.SWITCHED) {
                timeline.switched(t.tenant(), ShopSites.CLOUD, t.at());
            } else if (t.from() == MoveState.ROLLBACK_FROZEN && t.to() == MoveState.ROLLBACK_SYNC) {
                timeline.switched(t.tenant(), ShopSites.LEGACY, t.at());
            }
        }
        List<Violation> violations = RoutingInvariant.check(outcome.exchanges(), timeline);
        long writes = outcome.exchanges().stream().filter(e -> e.operation().write()).count();
        return new Check(NO_MISROUTED_WRITE, !outcome.exchanges().isEmpty() && violations.isEmpty(),
                String.format(Locale.ROOT, "%,d requests (%,d writes) each served by the site its tenant was placed on"
                        + " while in flight: %d violations", outcome.exchanges().size(), writes, violations.size())
                        + shown(violations));
    }

    private Check ackedWrites() {
        int checked = outcome.acked().values().stream().mapToInt(AckedWritesCheck.Report::ordersChecked).sum();
        List<Violation> violations = outcome.acked().values().stream().flatMap(r -> r.violations().stream()).toList();
        StringBuilder evidence = new StringBuilder();
        outcome.acked().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                evidence.append(evidence.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,d orders on %s",
                        e.getValue().ordersChecked(), e.getKey())));
        return new Check(ACKED_WRITES, checked > 0 && violations.isEmpty(),
                evidence + String.format(Locale.ROOT, " checked: %d violations", violations.size()) + shown(violations));
    }

    /**
     * The rollback line, not an operator, turned the slow tenant back (the reason of its turn says so), the
     * rollback reached ROLLED_BACK and the tenant ends on its old site (the controller plans a rolled-back move
     * again, so its final state is ROLLED_BACK or PLANNED).
     */
    private Check slowRolledBack() {
        TenantId slow = outcome.slow();
        Optional<MoveEvent.Transition> turn = outcome.transitions().stream()
                .filter(t -> t.tenant().equals(slow) && t.to() == MoveState.ROLLBACK_FROZEN).findFirst();
        boolean reached = outcome.transitions().stream()
                .anyMatch(t -> t.tenant().equals(slow) && t.to() == MoveState.ROLLED_BACK);
        Optional<MoveStatus> move = outcome.move(slow);
        SiteId site = DemoOutcome.finalSite(move, ShopSites.LEGACY);
        boolean byLine = turn.map(t -> t.reason().startsWith("rollback line crossed")).orElse(false);
        return new Check(rolledBackCheck(slow), byLine && reached && move.isPresent() && site.equals(move.get().from()),
                "final state " + move.map(m -> m.state() + " on " + site).orElse("(not in the plan)") + "; "
                        + turn.map(t -> t.from() + " -> " + t.to() + ": " + t.reason()).orElse("it never turned back"));
    }

    private Check healthyDone() {
        TenantId healthy = outcome.healthy();
        Optional<MoveStatus> move = outcome.move(healthy);
        boolean turned = outcome.transitions().stream()
                .anyMatch(t -> t.tenant().equals(healthy) && t.to() == MoveState.ROLLBACK_FROZEN);
        return new Check(doneCheck(healthy), !turned && move.map(m -> m.state() == MoveState.DONE).orElse(false),
                "final state " + move.map(m -> m.state() + " on " + m.to()).orElse("(not in the plan)")
                        + (turned ? "; it was rolled back" : ""));
    }

    private static String shown(List<Violation> violations) {
        return violations.isEmpty() ? "" : "; first: " + String.join("; ",
                violations.stream().limit(SHOWN_VIOLATIONS).map(Violation::toString).toList());
    }

    /** The whole report, lines ending in a newline. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("hikkoshi demo: a wave of ").append(outcome.healthy()).append(" and ").append(outcome.slow())
                .append(" moves from legacy to cloud under the shop's load; ").append(outcome.slow())
                .append(" is slow on cloud\n\n");
        out.append("  config        ").append(outcome.config()).append('\n');
        out.append("  router        ").append(outcome.router()).append(" (Host ").append(DemoConfig.HOST_PATTERN)
                .append(")\n");
        out.append("  controller    ").append(outcome.controller()).append(" (admin API; journal in the config's state-dir)\n");
        out.append("  sites         legacy and cloud: a sandbox shop app each over its own sandbox MariaDB\n");
        out.append(String.format(Locale.ROOT, "  load          %d clients reading and writing orders of %s%n",
                outcome.clients(), String.join(", ", outcome.tenants().stream().map(Object::toString).toList())));
        out.append(String.format(Locale.ROOT, "  slow tenant   %s answers %,d ms slower on cloud (rollback line: p99 300ms,"
                + " 3 s windows, 6 s bake)%n", outcome.slow(), outcome.latency().toMillis()));
        out.append(String.format(Locale.ROOT, "  plan applied  +%.2fs; demo ended +%.2fs%n", seconds(outcome.applied()),
                seconds(outcome.end())));

        out.append("\ntenants\n");
        for (TenantId tenant : outcome.tenants()) {
            Optional<MoveStatus> move = outcome.move(tenant);
            SiteId site = DemoOutcome.finalSite(move, ShopSites.LEGACY);
            String freeze = Optional.ofNullable(outcome.freezes().get(tenant)).map(d -> d.toMillis() + " ms").orElse("-");
            out.append(String.format(Locale.ROOT, "  %-10s %-12s on %-7s freeze %-8s served by %s%n", tenant,
                    move.map(m -> m.state().toString()).orElse("not moved"), site, freeze,
                    String.join(" -> ", RoutingInvariant.servedBySequence(outcome.exchanges(), tenant))));
            for (MoveEvent.Transition t : outcome.transitions()) {
                if (t.tenant().equals(tenant)) {
                    out.append(String.format(Locale.ROOT, "    +%6.2fs  %-15s -> %-15s %s%n", seconds(t.at()), t.from(),
                            t.to(), t.reason()));
                }
            }
        }
        outcome.pauseReason().ifPresent(r -> out.append("  plan paused: ").append(r).append('\n'));

        out.append("\nload\n");
        out.append(String.format(Locale.ROOT, "  %-10s %9s %8s %7s %9s%n", "tenant", "requests", "writes", "failed",
                "longest"));
        for (TenantId tenant : outcome.tenants()) {
            List<ShopExchange> mine = outcome.exchanges().stream().filter(e -> e.tenant().equals(tenant)).toList();
            long longest = mine.stream().mapToLong(e -> Duration.between(e.startedAt(), e.answeredAt()).toMillis())
                    .max().orElse(0);
            out.append(String.format(Locale.ROOT, "  %-10s %,9d %,8d %,7d %,6d ms%n", tenant, mine.size(),
                    mine.stream().filter(e -> e.operation().write()).count(),
                    mine.stream().filter(e -> !e.acknowledged()).count(), longest));
        }

        out.append("\nchecks\n");
        for (Check c : checks) {
            out.append(c.ok() ? "  ok      " : "  FAILED  ").append(c.name()).append(" (").append(c.evidence())
                    .append(")\n");
        }
        out.append('\n').append(ok() ? "result: ok: every check held\n" : "result: FAILED: see the checks above\n");
        return out.toString();
    }

    private double seconds(Instant at) {
        return Duration.between(outcome.start(), at).toMillis() / 1000.0;
    }
}

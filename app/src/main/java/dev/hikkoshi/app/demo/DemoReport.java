package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.cutover.move.MoveSteps;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.RoutingInvariant;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.SwitchTimeline;
import dev.hikkoshi.sandbox.shop.TenantRowsComparison;
import dev.hikkoshi.sandbox.shop.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link DemoOutcome} into what {@code hikkoshi demo} prints at the end: the set-up, per wave and tenant
 * its size, final state and site, freeze time and requests, the freeze times' median and largest, the named
 * checks (judged from the load's records with {@link RoutingInvariant}, from {@link AckedWritesCheck}'s reports,
 * from the independent row comparison and from the engine's transitions) that decide the demo's exit status, and
 * the machine-readable last line.
 */
public final class DemoReport {
    static final String NO_FAILED_REQUEST = "no failed request";
    static final String NO_MISROUTED_WRITE = "no misrouted write (RoutingInvariant)";
    static final String ACKED_WRITES = "every acknowledged write on its tenant's final site (AckedWritesCheck)";
    static final String ROWS_EQUAL = "each moved tenant's rows equal on cloud and legacy (independent comparison)";
    private static final int SHOWN_VIOLATIONS = 3;

    /** One named check: whether it held, and the evidence in words. */
    public record Check(String name, boolean ok, String evidence) {
    }

    private final DemoOutcome outcome;
    private final List<Check> checks;

    public DemoReport(DemoOutcome outcome) {
        this.outcome = outcome;
        List<Check> all = new ArrayList<>(List.of(noFailedRequest(), noMisroutedWrite(), ackedWrites()));
        outcome.scenario().slow().ifPresent(slow -> all.add(slowRolledBack(slow)));
        all.add(othersDone());
        all.add(rowsEqual());
        this.checks = List.copyOf(all);
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

    static String doneCheck(int count) {
        return "every other tenant (" + count + ") moved to cloud and baked healthy to DONE";
    }

    private long failed() {
        return outcome.exchanges().stream().filter(e -> !e.acknowledged()).count();
    }

    private Check noFailedRequest() {
        String evidence = String.format(Locale.ROOT, "%,d requests, %d failed", outcome.exchanges().size(), failed())
                + outcome.workloadFailure().map(f -> "; the load stopped: " + f).orElse("");
        return new Check(NO_FAILED_REQUEST, !outcome.exchanges().isEmpty() && failed() == 0
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

    private List<Violation> lost() {
        return outcome.acked().values().stream().flatMap(r -> r.violations().stream()).toList();
    }

    private Check ackedWrites() {
        int checked = outcome.acked().values().stream().mapToInt(AckedWritesCheck.Report::ordersChecked).sum();
        List<Violation> violations = lost();
        StringBuilder evidence = new StringBuilder();
        outcome.acked().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                evidence.append(evidence.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,d orders on %s",
                        e.getValue().ordersChecked(), e.getKey())));
        return new Check(ACKED_WRITES, checked > 0 && violations.isEmpty(),
                evidence + String.format(Locale.ROOT, " checked: %d violations", violations.size()) + shown(violations));
    }

    private boolean rolledBack(TenantId tenant) {
        return outcome.transitions().stream().anyMatch(t -> t.tenant().equals(tenant) && t.to() == MoveState.ROLLED_BACK);
    }

    /**
     * The rollback line, not an operator, turned the slow tenant back (the reason of its turn says so), the
     * rollback reached ROLLED_BACK and the tenant ends on its old site (set aside in PLANNED for the next plan).
     */
    private Check slowRolledBack(TenantId slow) {
        Optional<MoveEvent.Transition> turn = outcome.transitions().stream()
                .filter(t -> t.tenant().equals(slow) && t.to() == MoveState.ROLLBACK_FROZEN).findFirst();
        Optional<MoveStatus> move = outcome.move(slow);
        SiteId site = DemoOutcome.finalSite(move, ShopSites.LEGACY);
        boolean byLine = turn.map(t -> t.reason().startsWith("rollback line crossed")).orElse(false);
        return new Check(rolledBackCheck(slow), byLine && rolledBack(slow) && move.isPresent()
                && site.equals(move.get().from()),
                "final state " + move.map(m -> m.state() + " on " + site).orElse("(not in the plan)") + "; "
                        + turn.map(t -> t.from() + " -> " + t.to() + ": " + t.reason()).orElse("it never turned back"));
    }

    private Check othersDone() {
        List<TenantId> others = outcome.scenario().names().stream()
                .filter(t -> outcome.scenario().slow().map(s -> !s.equals(t)).orElse(true)).toList();
        List<String> not = new ArrayList<>();
        for (TenantId t : others) {
            Optional<MoveStatus> move = outcome.move(t);
            if (rolledBack(t) || move.map(m -> m.state() != MoveState.DONE).orElse(true)) {
                not.add(t + " " + move.map(m -> m.state() + " on " + DemoOutcome.finalSite(move, ShopSites.LEGACY))
                        .orElse("not in the plan") + (rolledBack(t) ? ", rolled back" : ""));
            }
        }
        return new Check(doneCheck(others.size()), not.isEmpty(), not.isEmpty()
                ? others.size() + " DONE on cloud" : not.size() + " not: " + String.join("; ", not));
    }

    private long verifiedRows() {
        return outcome.compared().values().stream().filter(TenantRowsComparison.Result::equal)
                .mapToLong(TenantRowsComparison.Result::rows).sum();
    }

    /**
     * Equal at the end, and equal without help: the engine verifies the reverse sync in full before DONE and
     * re-copies what it did not carry, which would make the comparison pass over a stream that lost rows; such a
     * DONE (its reason names the rows re-copied) fails the check too.
     */
    private Check rowsEqual() {
        List<String> differ = outcome.compared().values().stream().filter(r -> !r.equal())
                .map(r -> r.tenant() + ": " + String.join(", ", r.differences())).toList();
        List<String> repaired = outcome.transitions().stream().filter(t -> t.to() == MoveState.DONE)
                .flatMap(t -> MoveSteps.reverseSyncRepair(t.reason()).map(part -> t.tenant() + ": " + part).stream())
                .toList();
        long movedCount = outcome.moves().stream().filter(m -> m.state().onNewSite()).count();
        return new Check(ROWS_EQUAL, !outcome.compared().isEmpty() && differ.isEmpty() && repaired.isEmpty()
                && outcome.compared().size() == movedCount,
                String.format(Locale.ROOT, "%,d rows of %d tenants equal", verifiedRows(),
                        outcome.compared().size() - differ.size())
                        + (differ.isEmpty() ? "" : "; differ: " + String.join("; ", differ))
                        + (repaired.isEmpty() ? "" : "; the reverse sync missed rows that its verification before DONE"
                        + " re-copied: " + String.join("; ", repaired)));
    }

    private static String shown(List<Violation> violations) {
        return violations.isEmpty() ? "" : "; first: " + String.join("; ",
                violations.stream().limit(SHOWN_VIOLATIONS).map(Violation::toString).toList());
    }

    /** The freeze times of the tenants on cloud at the end, in order. */
    private List<Long> freezeMillis() {
        return outcome.freezes().entrySet().stream().filter(e -> outcome.move(e.getKey())
                        .map(m -> m.state().onNewSite()).orElse(false))
                .map(e -> e.getValue().toMillis()).sorted().toList();
    }

    /** The whole report, lines ending in a newline; the last line is machine-readable. */
    public String render() {
        DemoScenario scenario = outcome.scenario();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nhikkoshi demo: %d shop tenants move from legacy to cloud in %d waves"
                + " under the shop's load%s%n%n", scenario.tenants(), outcome.waves().size(),
                scenario.slow().map(s -> "; " + s + " is slow on cloud").orElse("")));
        out.append("  config        ").append(outcome.config()).append('\n');
        out.append("  router        ").append(outcome.router()).append(" (Host ").append(DemoConfig.HOST_PATTERN)
                .append(")\n");
        out.append("  controller    ").append(outcome.controller()).append(" (admin API; journal in the config's state-dir)\n");
        out.append("  sites         legacy and cloud: a sandbox shop app each over its own sandbox MariaDB\n");
        out.append(String.format(Locale.ROOT, "  load          %d clients, %.0f requests a second (paced) over %d tenants%n",
                scenario.clients(), scenario.rate(), scenario.tenants()));
        scenario.slow().ifPresent(s -> out.append(String.format(Locale.ROOT, "  slow tenant   %s answers %,d ms slower"
                + " on cloud (rollback line: %s)%n", s, DemoScenario.LATENCY.toMillis(), DemoConfig.ROLLBACK_LINE)));
        out.append(String.format(Locale.ROOT, "  plan applied  +%.2fs; demo ended +%.2fs%n", seconds(outcome.applied()),
                seconds(outcome.end())));

        out.append(String.format(Locale.ROOT, "%n  %-6s %-10s %7s  %-12s %-7s %9s %9s %9s %9s %7s  %s%n", "wave",
                "tenant", "rows", "state", "on", "copy est", "copy took", "freeze", "requests", "failed", "served by"));
        for (PlanSettings.Wave wave : outcome.waves()) {
            for (TenantId tenant : wave.tenants()) {
                Optional<MoveStatus> move = outcome.move(tenant);
                List<ShopExchange> mine = outcome.exchanges().stream().filter(e -> e.tenant().equals(tenant)).toList();
                out.append(String.format(Locale.ROOT, "  %-6s %-10s %,7d  %-12s %-7s %9s %9s %9s %,9d %,7d  %s%n",
                        wave.name(), tenant, outcome.rows().getOrDefault(tenant, 0L),
                        move.map(m -> m.state().toString()).orElse("not moved"),
                        DemoOutcome.finalSite(move, ShopSites.LEGACY),
                        millis(Optional.ofNullable(outcome.copyEstimates().get(tenant))), millis(outcome.copyTook(tenant)),
                        millis(Optional.ofNullable(outcome.freezes().get(tenant))),
                        mine.size(), mine.stream().filter(e -> !e.acknowledged()).count(),
                        String.join(" -> ", RoutingInvariant.servedBySequence(outcome.exchanges(), tenant))));
            }
        }
        List<Long> freezes = freezeMillis();
        out.append(freezes.isEmpty() ? "\n  freeze times: no tenant moved\n" : String.format(Locale.ROOT,
                "%n  freeze times of the %d moved tenants: median %d ms, largest %d ms%n", freezes.size(),
                freezes.get((freezes.size() - 1) / 2), freezes.get(freezes.size() - 1)));
        Map<TenantId, FreezePhases.Phases> phases = FreezePhases.of(outcome.transitions());
        FreezePhases.summary(phases).ifPresent(p -> out.append("  freeze phases: ").append(p).append('\n'));
        phases.values().forEach(p -> out.append(String.format(Locale.ROOT,
                "    %-10s freezing %5d ms, final sync %5d ms, switch %5d ms%n", p.tenant(), p.freezing().toMillis(),
                p.finalSync().toMillis(), p.switching().toMillis())));
        outcome.pauseReason().ifPresent(r -> out.append("  plan paused: ").append(r).append('\n'));
        List<String> failures = FreezePhases.failures(outcome.exchanges(), outcome.transitions());
        if (!failures.isEmpty()) {
            out.append("\nfailed requests by reason\n");
            failures.forEach(f -> out.append("  ").append(f).append('\n'));
        }

        out.append("\nchecks\n");
        for (Check c : checks) {
            out.append(c.ok() ? "  ok      " : "  FAILED  ").append(c.name()).append(" (").append(c.evidence())
                    .append(")\n");
        }
        out.append('\n').append(ok() ? "result: ok: every check held\n" : "result: FAILED: see the checks above\n");
        long moved = outcome.moves().stream().filter(m -> m.state().onNewSite()).count();
        long rolledBack = outcome.scenario().names().stream().filter(this::rolledBack).count();
        out.append(String.format(Locale.ROOT, "demo: moved=%d rolled-back=%d requests=%d failed=%d lost=%d"
                        + " freeze-max-ms=%d verified-rows=%d%n", moved, rolledBack, outcome.exchanges().size(), failed(),
                lost().size(), freezes.isEmpty() ? 0 : freezes.get(freezes.size() - 1), verifiedRows()));
        return out.toString();
    }

    private static String millis(Optional<Duration> d) {
        return d.map(x -> x.toMillis() + " ms").orElse("-");
    }

    private double seconds(Instant at) {
        return Duration.between(outcome.start(), at).toMillis() / 1000.0;
    }
}

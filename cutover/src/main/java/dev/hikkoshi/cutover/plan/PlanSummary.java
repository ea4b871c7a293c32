package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The plan as {@code hikkoshi plan} prints it: the directions and totals, the throughput behind the estimates, the
 * rollback line every wave's moves bake against, then per wave its tenants with sizes and estimated times, the
 * tenants skipped and refused with their reasons, and the preflight findings per direction. Plain text, one fact a
 * line, stable (tests assert it).
 */
public final class PlanSummary {
    private PlanSummary() {
    }

    public static String render(Plan plan, RollbackLineConfig line) {
        StringBuilder out = new StringBuilder();
        List<PlannedMove> all = plan.waves().stream().flatMap(w -> w.moves().stream()).toList();
        out.append("plan ").append(plan.id(), 0, 12).append(": ").append(plan.from()).append(" -> ").append(plan.to())
                .append(", ").append(count(plan.waves().size(), "wave")).append(", ")
                .append(count(all.size(), "tenant")).append(" to move (").append(rows(all)).append(", ")
                .append(bytes(all.stream().mapToLong(PlannedMove::bytes).sum())).append("), freeze.max ")
                .append(seconds(plan.freezeMax())).append('\n');
        ThroughputSample t = plan.throughput();
        out.append("throughput: ").append(String.format(Locale.ROOT, "%,.0f rows/s, %s/s", t.rowsPerSecond(),
                bytes(Math.round(t.bytesPerSecond())))).append(t.measured()
                ? " (measured: " + String.format(Locale.ROOT, "%,d", t.rows()) + " rows copied from " + plan.from()
                + " to " + plan.to() + ")" : " (given)").append('\n');
        out.append("rollback line: ").append(describe(line)).append('\n');
        for (PlannedWave w : plan.waves()) {
            out.append("wave ").append(w.name()).append(" (gate: ").append(w.gate().spelling()).append("): ");
            if (w.moves().isEmpty()) {
                out.append("no tenants to move\n");
                continue;
            }
            Duration copy = w.moves().stream().map(PlannedMove::copyEstimate).reduce(Duration.ZERO, Duration::plus);
            out.append(count(w.moves().size(), "tenant")).append(", ").append(rows(w.moves())).append(", ")
                    .append(bytes(w.moves().stream().mapToLong(PlannedMove::bytes).sum())).append(", copy ")
                    .append(seconds(copy)).append(" in all\n");
            for (PlannedMove m : w.moves()) {
                out.append("  ").append(m.tenant()).append(": ").append(String.format(Locale.ROOT, "%,d", m.rows()))
                        .append(" rows, ").append(bytes(m.bytes())).append(", copy ").append(seconds(m.copyEstimate()))
                        .append(", final sync ").append(seconds(m.finalSyncEstimate())).append(", freeze ")
                        .append(seconds(m.freezeEstimate())).append('\n');
            }
        }
        if (!plan.skipped().isEmpty()) {
            out.append("skipped (no move needed):\n");
            plan.skipped().forEach(s -> out.append("  ").append(s.tenant()).append(" (wave ").append(s.wave())
                    .append("): ").append(s.reason()).append('\n'));
        }
        if (!plan.refused().isEmpty()) {
            out.append("refused (left out of the waves):\n");
            plan.refused().forEach(r -> out.append("  ").append(r.tenant()).append(" (wave ").append(r.wave())
                    .append("): ").append(r.reason()).append('\n'));
        }
        String direction = null;
        for (PreflightFinding f : plan.preflight()) {
            if (!f.direction().equals(direction)) {
                direction = f.direction();
                out.append("preflight ").append(direction).append(":\n");
            }
            out.append("  ").append(String.format(Locale.ROOT, "%-8s", f.severity().name().toLowerCase(Locale.ROOT)))
                    .append(f.text()).append('\n');
        }
        int errors = plan.errors().size();
        if (errors > 0) {
            out.append(count(errors, "preflight error")).append(": a move or its rollback would fail as the servers"
                    + " are now; fix ").append(errors == 1 ? "it" : "them").append(" and plan again\n");
        }
        return out.toString();
    }

    /** The rollback line in the config's own words. */
    static String describe(RollbackLineConfig l) {
        return "error-rate " + number(l.errorRate() * 100) + "%, relative " + number(l.relative()) + "x, p99 "
                + DurationText.format(l.p99()) + ", window " + DurationText.format(l.window()) + ", min-requests "
                + l.minRequests() + ", bake " + DurationText.format(l.bake()) + ", inconclusive: "
                + l.maxExtensions() + " extensions, then " + l.then().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code 850 ms}, {@code 2.7 s}, {@code 3m 20s}, {@code 2h 05m}. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3600) {
            return (s / 60) + "m " + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
    }

    /** {@code 512 B}, {@code 12.3 KB}, {@code 4.5 MB}, {@code 50.0 GB} (powers of 1024). */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String rows(List<PlannedMove> moves) {
        return String.format(Locale.ROOT, "%,d rows", moves.stream().mapToLong(PlannedMove::rows).sum());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

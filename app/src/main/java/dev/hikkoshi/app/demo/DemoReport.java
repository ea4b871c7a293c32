package dev.hikkoshi.app.demo;

import dev.hikkoshi.sandbox.http.FreezeOrdering;
import dev.hikkoshi.sandbox.http.FreezeOrdering.Finding;
import dev.hikkoshi.sandbox.http.LoadResponse;
import dev.hikkoshi.sandbox.http.LoadSummary;
import dev.hikkoshi.sandbox.http.LoadSummary.TenantLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a {@link DemoOutcome} into what {@code hikkoshi demo} prints: the set-up, the timeline of the move, per
 * tenant what the clients saw (requests, failures, which sites served them, longest wait), and the checks
 * that prove the move kept its promises, judged from the order of events at the backends
 * ({@link FreezeOrdering}) and from the clients' log.
 */
public final class DemoReport {
    private final DemoOutcome outcome;
    private final LoadSummary summary;
    private final List<Finding> findings;

    public DemoReport(DemoOutcome outcome) {
        this.outcome = outcome;
        this.summary = LoadSummary.of(outcome.responses());
        List<Finding> all = new ArrayList<>(new FreezeOrdering(outcome.moved(), outcome.from(), outcome.to(),
                outcome.freezeReturned(), outcome.releaseRequested()).check(outcome.log()));
        all.add(heldRequests());
        all.add(everyRequestAnswered());
        all.add(rowsCopiedAndEqual());
        all.add(noOtherTenantsRows());
        this.findings = List.copyOf(all);
    }

    public LoadSummary summary() {
        return summary;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** Whether every check held: the demo's exit status. */
    public boolean ok() {
        return findings.stream().allMatch(Finding::kept);
    }

    /**
     * The moved tenant's requests answered by the new site but sent before the release can only have been held
     * by the router (FreezeOrdering shows the new site received nothing before the release); and every request
     * it sent after the freeze returned must have been answered by the new site with 2xx.
     */
    private Finding heldRequests() {
        Instant frozen = outcome.freezeReturned().time();
        Instant released = outcome.releaseRequested().time();
        Optional<String> newSite = Optional.of(outcome.to().value());
        List<LoadResponse> moved = outcome.responses().stream().filter(r -> r.tenant().equals(outcome.moved())).toList();
        List<LoadResponse> held = moved.stream()
                .filter(r -> r.sentAt().isBefore(released) && r.servedBy().equals(newSite)).toList();
        long wrong = moved.stream().filter(r -> r.sentAt().isAfter(frozen))
                .filter(r -> !r.ok() || !r.servedBy().equals(newSite)).count();
        long longest = held.stream().mapToLong(LoadResponse::latencyMicros).max().orElse(0);
        return new Finding("requests of " + outcome.moved() + " sent while it was frozen were held, then served by "
                + outcome.to(), !held.isEmpty() && wrong == 0,
                String.format(Locale.ROOT, "%d held, longest %,d ms; %d sent after the freeze not answered by %s"
                        + " with 2xx", held.size(), millis(longest), wrong, outcome.to()));
    }

    private Finding everyRequestAnswered() {
        return new Finding("every request was answered with 2xx",
                summary.requests() > 0 && summary.failures() == 0 && summary.non2xx() == 0,
                summary.requests() + " requests, " + summary.failures() + " failed, " + summary.non2xx() + " non-2xx");
    }

    /** The verifier counted the tenant's rows on both sides and found none different; the copy wrote them all. */
    private Finding rowsCopiedAndEqual() {
        TenantDataMove.Figures data = outcome.data();
        long onTarget = data.tables().stream().mapToLong(TenantDataMove.TableFigures::targetRows).sum();
        return new Finding(outcome.moved() + "'s rows were copied to " + outcome.to() + " and verified equal before the freeze",
                data.rowsVerified() > 0 && data.differences() == 0 && onTarget == data.rowsVerified()
                        && data.rowsCopied() == data.rowsVerified(),
                String.format(Locale.ROOT, "%,d copied, %,d on %s, %,d on %s, differences: %d", data.rowsCopied(),
                        data.rowsVerified(), outcome.from(), onTarget, outcome.to(), data.differences()));
    }

    /** Every row of the tenant's tables on the target, counted whole, is one of the tenant's rows. */
    private Finding noOtherTenantsRows() {
        TenantDataMove.Figures data = outcome.data();
        return new Finding("no other tenant's rows were copied", data.targetTotal() == data.rowsVerified(),
                String.format(Locale.ROOT, "%s's tables hold %,d rows in all, %,d of them %s's", outcome.to(),
                        data.targetTotal(), data.rowsVerified(), outcome.moved()));
    }

    /** The whole report, lines ending in a newline. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("hikkoshi demo: tenant ").append(outcome.moved()).append(" moves from ").append(outcome.from())
                .append(" to ").append(outcome.to()).append(" under load\n\n");
        outcome.sites().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(s ->
                out.append(String.format(Locale.ROOT, "  site %-8s %s (a recording backend)%n", s.getKey(), s.getValue())));
        out.append("  databases     ").append(outcome.data().source()).append(" -> ").append(outcome.data().target())
                .append(" (sandbox MariaDB)\n");
        out.append("  router        ").append(outcome.router()).append(" (config ").append(outcome.config()).append(")\n");
        out.append("  load          ").append(outcome.clients()).append(" clients, GET ").append(outcome.path())
                .append(" with Host ").append(outcome.hostPattern()).append(" for ")
                .append(String.join(", ", outcome.tenants().stream().map(Object::toString).toList())).append("\n\n");

        out.append("timeline\n");
        for (DemoOutcome.Step step : outcome.timeline()) {
            Duration at = Duration.between(outcome.start(), step.at());
            out.append(String.format(Locale.ROOT, "  +%6.2fs  %s%n", at.toMillis() / 1000.0, step.what()));
        }

        out.append("\nwhat the clients saw\n");
        out.append(String.format(Locale.ROOT, "  %-10s %9s %7s %8s  %-22s %8s %9s%n", "tenant", "requests", "failed",
                "non-2xx", "served by", "median", "longest"));
        for (TenantLoad t : summary.tenants()) {
            String servedBy = t.siteSequence().isEmpty() ? "-" : String.join(" -> ", t.siteSequence());
            out.append(String.format(Locale.ROOT, "  %-10s %9d %7d %8d  %-22s %,5d ms %,6d ms%n", t.tenant(),
                    t.requests(), t.failures(), t.non2xx(), servedBy, millis(medianMicros(t)),
                    millis(t.maxLatencyMicros())));
        }

        renderData(out);

        out.append("\nchecks (from the order of events recorded at the sites, the clients' log, and the data engine's counts)\n");
        for (Finding f : findings) {
            out.append(f.kept() ? "  ok    " : "  FAIL  ").append(f.promise()).append(" (").append(f.evidence())
                    .append(")\n");
        }
        out.append('\n').append(ok()
                ? "result: ok: every request was answered and " + outcome.moved() + " moved from " + outcome.from()
                        + " to " + outcome.to() + " without a request at the wrong site\n"
                : "result: FAILED: see the checks above\n");
        return out.toString();
    }

    private void renderData(StringBuilder out) {
        TenantDataMove.Figures data = outcome.data();
        out.append("\ndata of ").append(outcome.moved()).append(": bulk copy + verification; change capture is not part of"
                + " the demo's move yet (the cutover engine, issue 5, joins it), so the demo's load does not write to the"
                + " database\n");
        out.append(String.format(Locale.ROOT, "  %-12s %8s %10s %10s %12s %12s%n", "table", "copied", "on " + outcome.from(),
                "on " + outcome.to(), "differences", outcome.to() + " holds"));
        for (TenantDataMove.TableFigures t : data.tables()) {
            out.append(String.format(Locale.ROOT, "  %-12s %,8d %,10d %,10d %12d %,12d%n", t.table(), t.copied(),
                    t.sourceRows(), t.targetRows(), t.differences(), t.targetTotal()));
        }
        out.append(String.format(Locale.ROOT, "  copy          %,d rows in %.2f s (%,.0f rows/s)%n", data.rowsCopied(),
                data.copy().toMillis() / 1000.0, data.copyRowsPerSecond()));
        out.append(String.format(Locale.ROOT, "  verification  %,d rows in %.2f s: differences: %d%n", data.rowsVerified(),
                data.verify().toMillis() / 1000.0, data.differences()));
    }

    /** The typical wait, next to the longest (a held request, or a cold start's first answers). */
    private long medianMicros(TenantLoad t) {
        long[] latencies = outcome.responses().stream().filter(r -> r.tenant().equals(t.tenant()))
                .mapToLong(LoadResponse::latencyMicros).sorted().toArray();
        return latencies.length == 0 ? 0 : latencies[(latencies.length - 1) / 2];
    }

    private static long millis(long micros) {
        return Math.round(micros / 1000.0);
    }
}

package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.traffic.TrafficStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code hikkoshi check router}: every configured router answers its health endpoint, they agree on the routing
 * table's version, and the 5xx rate and p99 latency over all their traffic in the window are under the thresholds.
 * An unreachable router is CRITICAL; an answer the check cannot read is UNKNOWN.
 */
public final class RouterCheck {
    static final String SERVICE = "ROUTER";

    /** Thresholds and window, from the command's options. */
    public record Options(Duration window, Threshold errorRatePercent, Threshold p99Millis, Duration timeout) {
    }

    private RouterCheck() {
    }

    public static CheckResult run(List<RouterEndpoint> routers, Options o) throws InterruptedException {
        CheckStatus status = CheckStatus.OK;
        List<String> problems = new ArrayList<>();
        TreeSet<Long> versions = new TreeSet<>();
        TrafficStats total = TrafficStats.empty();
        int up = 0;
        for (RouterEndpoint r : routers) {
            RouterAdminClient client = new RouterAdminClient(r, o.timeout());
            try {
                RouterAdminClient.Health h = client.health();
                versions.add(h.tableVersion());
                for (TrafficStats s : client.stats(o.window()).values()) {
                    total = total.merge(s);
                }
                if (!h.status().equals("ok")) {
                    status = status.worst(CheckStatus.WARNING);
                    problems.add("router " + r + " reports status " + h.status());
                }
                up++;
            } catch (RouterAdminClient.Unreachable e) {
                status = status.worst(CheckStatus.CRITICAL);
                problems.add(e.getMessage());
            } catch (RouterAdminClient.BadAnswer e) {
                status = status.worst(CheckStatus.UNKNOWN);
                problems.add(e.getMessage());
            }
        }
        if (versions.size() > 1) {
            status = status.worst(CheckStatus.WARNING);
            problems.add("routers disagree on the table version: " + versions);
        }
        double errorRate = total.errorRate() * 100;
        long p99 = total.latency().quantile(0.99).map(Duration::toMillis).orElse(0L);
        if (up > 0) {
            CheckStatus byErrors = o.errorRatePercent().judge(errorRate);
            CheckStatus byLatency = o.p99Millis().judge(p99);
            if (byErrors != CheckStatus.OK) {
                problems.add("5xx rate " + percent(errorRate) + " above " + bound(o.errorRatePercent(), byErrors) + "%");
            }
            if (byLatency != CheckStatus.OK) {
                problems.add("p99 " + p99 + "ms above " + bound(o.p99Millis(), byLatency) + "ms");
            }
            status = status.worst(byErrors).worst(byLatency);
        }
        String facts = up + " of " + routers.size() + " routers up"
                + (versions.isEmpty() ? "" : ", table version " + versions.last())
                + ", " + String.format(Locale.ROOT, "%,d", total.requests()) + " requests in "
                + DurationText.format(o.window()) + ", 5xx " + percent(errorRate) + ", p99 " + p99 + "ms";
        String summary = problems.isEmpty() ? facts : String.join("; ", problems) + " (" + facts + ")";
        List<PerfData> perf = List.of(
                new PerfData("routers_up", up, "", java.util.Optional.empty(),
                        java.util.Optional.of((double) routers.size() - 0.5), java.util.Optional.of(0.0),
                        java.util.Optional.of((double) routers.size())),
                PerfData.of("table_version", versions.isEmpty() ? 0 : versions.last(), ""),
                PerfData.of("requests", total.requests(), "c"),
                PerfData.of("error_rate", round(errorRate), "%").thresholds(o.errorRatePercent()).max(100),
                PerfData.of("p99", p99, "ms").thresholds(o.p99Millis()));
        return new CheckResult(SERVICE, status, summary, perf);
    }

    static String percent(double p) {
        return PerfData.number(round(p)) + "%";
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static String bound(Threshold t, CheckStatus s) {
        return PerfData.number((s == CheckStatus.CRITICAL ? t.critical() : t.warning()).orElse(0.0));
    }

    /** Stats of one tenant, all sites merged. */
    static TrafficStats tenantStats(Map<String, TrafficStats> stats, String tenant) {
        TrafficStats out = TrafficStats.empty();
        for (Map.Entry<String, TrafficStats> e : stats.entrySet()) {
            if (e.getKey().startsWith(tenant + "@")) {
                out = out.merge(e.getValue());
            }
        }
        return out;
    }
}

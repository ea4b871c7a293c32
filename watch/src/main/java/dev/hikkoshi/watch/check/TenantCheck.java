package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.traffic.TrafficStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code hikkoshi check tenant T}: where the tenant is placed (and whether it is frozen) according to the first
 * router that answers, and the tenant's 5xx rate and p99 latency in the window across the routers, judged against
 * the thresholds. Every router unreachable is CRITICAL.
 */
public final class TenantCheck {
    static final String SERVICE = "TENANT";

    private TenantCheck() {
    }

    public static CheckResult run(List<RouterEndpoint> routers, String tenant, RouterCheck.Options o)
            throws InterruptedException {
        TrafficStats stats = TrafficStats.empty();
        RouterAdminClient.Table table = null;
        String unreachable = null;
        for (RouterEndpoint r : routers) {
            RouterAdminClient client = new RouterAdminClient(r, o.timeout());
            try {
                RouterAdminClient.Table t = client.table();
                if (table == null) {
                    table = t;
                }
                stats = stats.merge(RouterCheck.tenantStats(client.stats(o.window()), tenant));
            } catch (RouterAdminClient.Unreachable e) {
                unreachable = e.getMessage();
            } catch (RouterAdminClient.BadAnswer e) {
                return CheckResult.unknown(SERVICE, e.getMessage());
            }
        }
        if (table == null) {
            return new CheckResult(SERVICE, CheckStatus.CRITICAL, "tenant " + tenant + ": no router reachable ("
                    + unreachable + ")", List.of());
        }
        RouterAdminClient.Placement p = table.placements().get(tenant);
        String where = p == null ? "not in the routing table (served by the unknown-tenant rule)"
                : "on " + p.site() + (p.frozen() ? ", frozen" : "") + " (table version " + table.version() + ")";
        double errorRate = stats.errorRate() * 100;
        long p99 = stats.latency().quantile(0.99).map(Duration::toMillis).orElse(0L);
        CheckStatus byErrors = o.errorRatePercent().judge(errorRate);
        CheckStatus byLatency = o.p99Millis().judge(p99);
        CheckStatus status = byErrors.worst(byLatency);
        StringBuilder summary = new StringBuilder("tenant " + tenant + " " + where + ", "
                + String.format(Locale.ROOT, "%,d", stats.requests()) + " requests in " + DurationText.format(o.window())
                + ", 5xx " + RouterCheck.percent(errorRate) + ", p99 " + p99 + "ms");
        if (byErrors != CheckStatus.OK) {
            summary.append("; 5xx rate above ").append(RouterCheck.bound(o.errorRatePercent(), byErrors)).append('%');
        }
        if (byLatency != CheckStatus.OK) {
            summary.append("; p99 above ").append(RouterCheck.bound(o.p99Millis(), byLatency)).append("ms");
        }
        if (unreachable != null) {
            status = status.worst(CheckStatus.WARNING);
            summary.append("; ").append(unreachable);
        }
        return new CheckResult(SERVICE, status, summary.toString(), List.of(
                PerfData.of("requests", stats.requests(), "c"),
                PerfData.of("error_rate", RouterCheck.round(errorRate), "%").thresholds(o.errorRatePercent()).max(100),
                PerfData.of("p99", p99, "ms").thresholds(o.p99Millis()),
                PerfData.of("frozen", p != null && p.frozen() ? 1 : 0, "").max(1)));
    }
}

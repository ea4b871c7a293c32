package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link LoadGenerator} run saw, per tenant and per serving site: counts, failures, non-2xx answers,
 * when each site first and last answered, and the order in which sites took over (the demo's report and the
 * router tests read it).
 */
public record LoadSummary(long requests, long failures, long non2xx, List<TenantLoad> tenants) {
    /** The site name used for answers that carried no {@code X-Served-By} header (the router's own errors). */
    public static final String NO_SITE = "(none)";

    public LoadSummary {
        tenants = List.copyOf(tenants);
    }

    /** One tenant's share of the run. */
    public record TenantLoad(TenantId tenant, long requests, long failures, long non2xx, long maxLatencyMicros,
                             List<SiteLoad> sites, List<String> siteSequence) {
        public TenantLoad {
            sites = List.copyOf(sites);
            siteSequence = List.copyOf(siteSequence);
        }

        public Optional<SiteLoad> site(String name) {
            return sites.stream().filter(s -> s.site().equals(name)).findFirst();
        }
    }

    /**
     * The answers one site gave one tenant.
     *
     * @param first when the first answer from this site arrived
     * @param last  when the last answer from this site arrived
     */
    public record SiteLoad(String site, long requests, long non2xx, Instant first, Instant last) {
    }

    public Optional<TenantLoad> tenant(TenantId tenant) {
        return tenants.stream().filter(t -> t.tenant().equals(tenant)).findFirst();
    }

    /** Summarizes responses; the per-tenant site sequence follows the order in which answers arrived. */
    public static LoadSummary of(List<LoadResponse> responses) {
        Map<TenantId, List<LoadResponse>> byTenant = new TreeMap<>();
        List<LoadResponse> ordered = new ArrayList<>(responses);
        ordered.sort(Comparator.comparingLong(LoadResponse::sequence));
        for (LoadResponse r : ordered) {
            byTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r);
        }
        List<TenantLoad> tenants = new ArrayList<>();
        long failures = 0;
        long non2xx = 0;
        for (Map.Entry<TenantId, List<LoadResponse>> e : byTenant.entrySet()) {
            TenantLoad t = tenant(e.getKey(), e.getValue());
            failures += t.failures();
            non2xx += t.non2xx();
            tenants.add(t);
        }
        return new LoadSummary(responses.size(), failures, non2xx, tenants);
    }

    private static TenantLoad tenant(TenantId tenant, List<LoadResponse> responses) {
        Map<String, SiteLoad> sites = new LinkedHashMap<>();
        List<String> sequence = new ArrayList<>();
        long failures = 0;
        long non2xx = 0;
        long maxLatency = 0;
        for (LoadResponse r : responses) {
            maxLatency = Math.max(maxLatency, r.latencyMicros());
            if (r.failed()) {
                failures++;
                continue;
            }
            boolean bad = !r.ok();
            if (bad) {
                non2xx++;
            }
            String site = r.servedBy().orElse(NO_SITE);
            Instant at = r.answeredAt();
            sites.merge(site, new SiteLoad(site, 1, bad ? 1 : 0, at, at), (a, b) -> new SiteLoad(site,
                    a.requests() + 1, a.non2xx() + b.non2xx(), min(a.first(), at), max(a.last(), at)));
            if (r.servedBy().isPresent() && (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(site))) {
                sequence.add(site);
            }
        }
        return new TenantLoad(tenant, responses.size(), failures, non2xx, maxLatency, List.copyOf(sites.values()),
                sequence);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

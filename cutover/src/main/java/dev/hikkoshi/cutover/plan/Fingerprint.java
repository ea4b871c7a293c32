package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a plan assumed about the world: where each tenant is placed (the controller's routing table in the state
 * directory; a tenant it does not list is on the first site), each site's schema (per table its
 * {@link TableShape}) and each planned tenant's size in rows, with the tolerance within which a size still counts
 * as the same. Captured by {@link FingerprintReader} when the plan is made and again by {@code apply} before it
 * adopts the plan: {@link #differences} lists what changed, and {@code apply} refuses when anything did.
 */
public record Fingerprint(Map<TenantId, SiteId> placements, Map<SiteId, Map<String, TableShape>> schemas,
                          Map<TenantId, Long> tenantRows, Tolerance tolerance) {
    public Fingerprint {
        placements = sorted(placements);
        TreeMap<SiteId, Map<String, TableShape>> s = new TreeMap<>();
        schemas.forEach((site, tables) -> s.put(site, sorted(tables)));
        schemas = java.util.Collections.unmodifiableMap(s);
        tenantRows = sorted(tenantRows);
        Objects.requireNonNull(tolerance, "tolerance");
    }

    /**
     * How far a tenant's row count may drift from the plan's before the plan no longer describes it: more than
     * {@code fraction} of the assumed rows and more than {@code slackRows} (so that a tiny tenant gaining a few
     * rows does not trip it).
     */
    public record Tolerance(double fraction, long slackRows) {
        public static final Tolerance DEFAULT = new Tolerance(0.10, 500);

        public Tolerance {
            if (!(fraction >= 0) || slackRows < 0) {
                throw new IllegalArgumentException("invalid tolerance: " + fraction + ", " + slackRows + " rows");
            }
        }

        /** True when {@code now} rows still count as {@code assumed} rows. */
        public boolean allows(long assumed, long now) {
            long drift = Math.abs(now - assumed);
            return drift <= slackRows || drift <= fraction * assumed;
        }

        /** {@code 10%, at least 500 rows}. */
        public String describe() {
            double percent = fraction * 100;
            String p = percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
            return p + "%, at least " + slackRows + " rows";
        }
    }

    /**
     * What differs in {@code now} from what this fingerprint assumed, one readable line per difference, in a stable
     * order (placements, then schemas by site and table, then sizes). Empty when the world is the same. Sizes are
     * compared for the tenants this fingerprint sized, within this fingerprint's tolerance.
     */
    public List<String> differences(Fingerprint now) {
        List<String> out = new ArrayList<>();
        // A tenant added to the directory since is not a difference: the plan names its tenants, so it moves none
        // it did not see (with tenants from a table, new sign-ups would otherwise block every apply).
        for (TenantId t : placements.keySet()) {
            SiteId then = placements.get(t);
            SiteId site = now.placements.get(t);
            if (site == null) {
                out.add("tenant " + t + ": no longer in the tenant directory");
            } else if (!then.equals(site)) {
                out.add("tenant " + t + ": on " + site + ", the plan assumed " + then);
            }
        }
        TreeSet<SiteId> sites = new TreeSet<>(schemas.keySet());
        sites.addAll(now.schemas.keySet());
        for (SiteId site : sites) {
            Map<String, TableShape> before = schemas.getOrDefault(site, Map.of());
            Map<String, TableShape> after = now.schemas.getOrDefault(site, Map.of());
            TreeSet<String> tables = new TreeSet<>(before.keySet());
            tables.addAll(after.keySet());
            for (String table : tables) {
                TableShape b = before.get(table);
                TableShape a = after.get(table);
                if (a == null) {
                    out.add("site " + site + ": table " + table + " dropped");
                } else if (b == null) {
                    out.add("site " + site + ": table " + table + " added");
                } else if (!a.equals(b)) {
                    out.add("site " + site + ": table " + table + " differs (" + String.join(", ", b.changes(a)) + ")");
                }
            }
        }
        for (Map.Entry<TenantId, Long> e : tenantRows.entrySet()) {
            Long rows = now.tenantRows.get(e.getKey());
            if (rows == null) {
                out.add("tenant " + e.getKey() + ": not sized now, the plan assumed " + e.getValue() + " rows");
            } else if (!tolerance.allows(e.getValue(), rows)) {
                out.add("tenant " + e.getKey() + ": " + rows + " rows, the plan assumed " + e.getValue()
                        + " (tolerance " + tolerance.describe() + ")");
            }
        }
        return List.copyOf(out);
    }

    private static <K extends Comparable<K>, V> Map<K, V> sorted(Map<K, V> map) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }
}

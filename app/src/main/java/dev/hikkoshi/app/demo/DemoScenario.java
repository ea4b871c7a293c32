package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one demo run does: how many shop tenants (sizes skewed: one large, a long tail), which one is slowed down
 * on the new site so that its rollback line sends it back, and the load: how many clients and how many requests
 * a second they send together. The waves are always a pilot (the smallest tenant), half of the rest, and the
 * remainder. {@link DemoCommand} builds it from its options; {@code bench/cutover.sh} runs it with no slow tenant
 * and a steady write rate.
 *
 * @param rate requests per second over all tenants, paced evenly, so every tenant gets enough requests per
 *             rollback-line window for a verdict without the load itself slowing a 2-core machine down
 */
public record DemoScenario(int tenants, Optional<TenantId> slow, int clients, double rate, ShopSeed seed) {
    /** The added latency of the slow tenant on the new site: far above the rollback line's p99. */
    public static final Duration LATENCY = Duration.ofMillis(1_200);
    /** The largest tenant's customers; the i-th tenant has 1/i of them (orders and items scale along). */
    private static final ShopSeed SEED = new ShopSeed(60, 4, 3).skewed(ShopSeed.Skew.ZIPF);

    public DemoScenario {
        if (tenants < 4 || tenants > 200) {
            throw new IllegalArgumentException("a demo moves 4 to 200 tenants, not " + tenants);
        }
        if (slow.isPresent() && !names(tenants).contains(slow.get())) {
            throw new IllegalArgumentException("the slow tenant " + slow.get() + " is not one of the demo's tenants");
        }
    }

    /**
     * The README's demo: {@code tenants} tenants, the third of which (in the "half" wave) is slow on cloud, and
     * 7.5 requests a second per tenant from three clients per tenant (each client keeps to one tenant, so the slow
     * tenant's long answers hold up nobody else's requests; it still gets 3 to 6 requests per window, which the demo's
     * rollback line counts with {@code min-requests: 2}).
     */
    public static DemoScenario standard(int tenants) {
        return new DemoScenario(tenants, Optional.of(names(tenants).get(2)), 3 * tenants, 7.5 * tenants, SEED);
    }

    /** Every tenant moves healthy under {@code writesPerSecond} writes a second (the shop's mix of requests). */
    public static DemoScenario steadyWrites(int tenants, double writesPerSecond, double writeShare) {
        return new DemoScenario(tenants, Optional.empty(), 2 * tenants, writesPerSecond / writeShare, SEED);
    }

    /** The tenants' names, shop-001 (the largest) and up. */
    public List<TenantId> names() {
        return names(tenants);
    }

    /** The pilot wave's tenant: the smallest, so that the first move risks least. */
    public TenantId pilot() {
        return names().get(tenants - 1);
    }

    private static List<TenantId> names(int tenants) {
        return ShopSeed.tenantNames(tenants);
    }
}

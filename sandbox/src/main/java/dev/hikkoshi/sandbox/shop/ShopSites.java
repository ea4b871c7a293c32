package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.util.List;

/**
 * The sandbox shop on two sites, as a move sees them at its start: both databases with the shop's tables and
 * interleaved auto-increment values ({@code legacy} odd ids, {@code cloud} even ones), every tenant's rows on
 * {@code legacy}, the shared countries on both, and one {@link ShopApp} per site. The cutover tests and the demo
 * put a router in front of {@link #legacy()} and {@link #cloud()}; closing stops both apps (the databases are
 * the caller's).
 */
public final class ShopSites implements AutoCloseable {
    public static final SiteId LEGACY = SiteId.of("legacy");
    public static final SiteId CLOUD = SiteId.of("cloud");

    private final ShopApp legacy;
    private final ShopApp cloud;

    private ShopSites(ShopApp legacy, ShopApp cloud) {
        this.legacy = legacy;
        this.cloud = cloud;
    }

    /**
     * Prepares two empty schemas on two different servers and starts the apps. The interleaving is set on the
     * servers ({@code SET GLOBAL}) before the apps' pools open their sessions.
     */
    public static ShopSites start(SandboxSchema legacyDatabase, SandboxSchema cloudDatabase, List<TenantId> tenants,
                                  ShopSeed seed) {
        if (legacyDatabase.server() == cloudDatabase.server()) {
            throw new IllegalArgumentException("the two sites need two servers: auto-increment interleaving is set"
                    + " per server");
        }
        legacyDatabase.server().interleaveAutoIncrement(2, 1);
        cloudDatabase.server().interleaveAutoIncrement(2, 2);
        ShopSchema.create(legacyDatabase);
        ShopSchema.create(cloudDatabase);
        seed.apply(legacyDatabase, tenants);
        ShopSeed.countries(cloudDatabase);
        ShopApp legacy = ShopApp.start(LEGACY, legacyDatabase);
        try {
            return new ShopSites(legacy, ShopApp.start(CLOUD, cloudDatabase));
        } catch (RuntimeException e) {
            legacy.close();
            throw e;
        }
    }

    public ShopApp legacy() {
        return legacy;
    }

    public ShopApp cloud() {
        return cloud;
    }

    /** The app of {@code site}. */
    public ShopApp app(SiteId site) {
        if (site.equals(LEGACY)) {
            return legacy;
        }
        if (site.equals(CLOUD)) {
            return cloud;
        }
        throw new IllegalArgumentException("no shop site " + site + " (expected: legacy or cloud)");
    }

    @Override
    public void close() {
        try {
            cloud.close();
        } finally {
            legacy.close();
        }
    }
}

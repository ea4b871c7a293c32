package dev.hikkoshi.sandbox.shop;

import static dev.hikkoshi.sandbox.shop.ShopAppIT.CLOUD;
import static dev.hikkoshi.sandbox.shop.ShopAppIT.LEGACY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.db.SharedServers;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.ShopOperation.CreateOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shop's load and its checks over two real sites, with the test playing the router: it sends each tenant's
 * load straight to a site's app (the tenant in the header the router would set) and moves a tenant by stopping its
 * load, copying its rows and sending its load to the other site.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(180)
class ShopLoadIT {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void interleave() {
        ShopAppIT.interleave();
    }

    @Test
    void correctMove_keepsTheInvariant_andEveryAckedWriteIsOnItsFinalSite(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(6);
        TenantId moved = tenants.get(0);
        List<TenantId> staying = tenants.subList(1, tenants.size());
        ShopWorkload shop = ShopWorkload.create(7);
        Instant switched;
        try (ShopSites sites = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            run(load(sites.legacy(), tenants, shop, 360, 1));
            switched = Instant.now();
            TenantCopy.copy(pair.source(), pair.target(), moved);
            try (LoadRun onCloud = load(sites.cloud(), List.of(moved), shop, 120, 2).start();
                 LoadRun onLegacy = load(sites.legacy(), staying, shop, 200, 1).start()) {
                assertThat(onCloud.await(WAIT)).isTrue();
                assertThat(onLegacy.await(WAIT)).isTrue();
            }
        }

        List<ShopExchange> exchanges = shop.exchanges();
        assertThat(exchanges).hasSize(680);
        // Every kind of request was sent, and every one was acknowledged.
        assertThat(exchanges).extracting(e -> e.operation().getClass().getSimpleName()).contains("ListOrders", "CreateOrder",
                "UpdateOrder", "DeleteOrder");
        assertThat(shop.failures()).isEmpty();
        SwitchTimeline timeline = SwitchTimeline.startingOn(LEGACY).switched(moved, CLOUD, switched);
        assertThat(RoutingInvariant.check(exchanges, timeline)).isEmpty();
        assertThat(RoutingInvariant.servedBySequence(exchanges, moved)).containsExactly("legacy", "cloud");
        assertThat(staying).allSatisfy(t -> assertThat(RoutingInvariant.servedBySequence(exchanges, t))
                .containsExactly("legacy"));
        // The moved tenant's writes on cloud changed orders created on legacy (odd ids) and its own (even ids).
        Set<Long> cloudWrites = exchanges.stream().filter(e -> e.tenant().equals(moved) && e.operation().write()
                && e.servedBy().orElseThrow().equals("cloud")).map(e -> e.orderId().getAsLong()).collect(Collectors.toSet());
        assertThat(cloudWrites).anyMatch(id -> id % 2 == 1).anyMatch(id -> id % 2 == 0);

        AckedWritesCheck.Report onCloud = AckedWritesCheck.check(exchanges, List.of(moved), pair.target());
        AckedWritesCheck.Report onLegacy = AckedWritesCheck.check(exchanges, staying, pair.source());
        assertThat(onCloud.violations()).isEmpty();
        assertThat(onLegacy.violations()).isEmpty();
        assertThat(onCloud.ordersChecked()).isGreaterThan(20);
        assertThat(onLegacy.ordersChecked()).isGreaterThan(20);
        assertThat(onCloud.ordersUnverifiable() + onLegacy.ordersUnverifiable()).isZero();

        // The same records judged against the wrong final site, or a later switch, are flagged.
        assertThat(AckedWritesCheck.check(exchanges, staying, pair.target()).violations())
                .isNotEmpty().allMatch(v -> v.description().endsWith(": missing") || v.description().contains("deleted"));
        Instant later = Instant.now().plusSeconds(3600);
        assertThat(RoutingInvariant.check(exchanges, SwitchTimeline.startingOn(LEGACY).switched(moved, CLOUD, later)))
                .hasSize((int) exchanges.stream().filter(e -> e.servedBy().orElseThrow().equals("cloud")).count())
                .allMatch(v -> v.tenant().equals(moved) && v.description().contains("served by cloud while the tenant"
                        + " was placed elsewhere (on legacy, on cloud from " + later + ")"));
    }

    @Test
    void requestsSentToTheOldSiteAfterTheSwitch_areFlagged(SchemaPair pair) throws Exception {
        ShopWorkload shop = ShopWorkload.create(11);
        ShopWorkload misrouted = ShopWorkload.create(12);
        Instant switched;
        try (ShopSites sites = ShopSites.start(pair.source(), pair.target(), List.of(ACME, GLOBEX), ShopSeed.small())) {
            run(load(sites.legacy(), List.of(ACME, GLOBEX), shop, 100, 2));
            switched = Instant.now();
            TenantCopy.copy(pair.source(), pair.target(), ACME);
            run(load(sites.cloud(), List.of(ACME), shop, 60, 2));
            // The test misroutes: acme's requests go to legacy again, as a router with a stale table would send them.
            run(load(sites.legacy(), List.of(ACME), misrouted, 40, 2));
        }
        List<ShopExchange> exchanges = new ArrayList<>(shop.exchanges());
        exchanges.addAll(misrouted.exchanges());
        assertThat(shop.failures()).isEmpty();
        assertThat(misrouted.failures()).isEmpty();
        List<Violation> violations = RoutingInvariant.check(exchanges,
                SwitchTimeline.startingOn(LEGACY).switched(ACME, CLOUD, switched));
        assertThat(violations).hasSize(40).allSatisfy(v -> {
            assertThat(v.tenant()).isEqualTo(ACME);
            assertThat(v.description()).contains("served by legacy while the tenant was placed elsewhere (on legacy,"
                    + " on cloud from " + switched + ")");
        });
        assertThat(violations).anyMatch(v -> v.description().startsWith("write served by legacy"));
        assertThat(RoutingInvariant.servedBySequence(exchanges, ACME)).containsExactly("legacy", "cloud", "legacy");

        // The writes acme's misrouted requests made on legacy are not on cloud, its final site.
        AckedWritesCheck.Report report = AckedWritesCheck.check(exchanges, List.of(ACME), pair.target());
        Set<Long> createdOnLegacyAfterSwitch = misrouted.acknowledgedWrites().stream()
                .filter(w -> w.operation() instanceof CreateOrder).map(w -> w.orderId().getAsLong())
                .collect(Collectors.toSet());
        assertThat(createdOnLegacyAfterSwitch).isNotEmpty();
        assertThat(report.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.description())
                .matches(d -> createdOnLegacyAfterSwitch.stream().anyMatch(id -> d.startsWith("order " + id + " on "))));
        assertThat(AckedWritesCheck.check(shop.exchanges(), List.of(ACME), pair.target()).violations()).isEmpty();
    }

    @Test
    void failedRequests_areRecordedWithStatusAndFirstLine_andBreakTheInvariant(SchemaPair pair) throws Exception {
        ShopAppIT.createShops(pair, List.of(ACME, GLOBEX));
        TenantId stranger = TenantId.of("stranger");
        ShopWorkload shop = ShopWorkload.create(3);
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source())) {
            legacy.failRequests(GLOBEX, 503);
            run(load(legacy, List.of(ACME, GLOBEX, stranger), shop, 90, 2));
        }
        long others = shop.exchanges().stream().filter(e -> !e.tenant().equals(ACME)).count();
        assertThat(others).isPositive();
        assertThat(shop.failures()).hasSize((int) others).allSatisfy(f -> {
            if (f.tenant().equals(GLOBEX)) {
                assertThat(f.status()).isEqualTo(503);
                assertThat(f.failure()).contains("failure injected for tenant globex");
            } else {
                assertThat(f.tenant()).isEqualTo(stranger);
                assertThat(f.status()).isEqualTo(404);
                assertThat(f.failure()).contains("unknown tenant stranger on this site");
            }
            assertThat(f.servedBy()).contains("legacy");
            assertThat(f.acknowledgedWrite()).isFalse();
        });
        assertThat(shop.acknowledgedWrites()).isNotEmpty().allMatch(w -> w.tenant().equals(ACME));
        List<Violation> violations = RoutingInvariant.check(shop.exchanges(), SwitchTimeline.startingOn(LEGACY));
        assertThat(violations).hasSize((int) others).allMatch(v -> v.description().startsWith("request failed: "));

        // A site that is gone: no answer at all, status 0 and the client's reason.
        ShopWorkload lost = ShopWorkload.create(4);
        ShopApp gone = ShopApp.start(LEGACY, pair.source());
        gone.close();
        run(LoadGenerator.target(gone.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.header(RecordingBackend.TENANT_HEADER)).workload(lost).clients(1)
                .maxRequests(2).duration(Duration.ofSeconds(20)).build());
        assertThat(lost.failures()).hasSize(2).allSatisfy(f -> {
            assertThat(f.status()).isZero();
            assertThat(f.servedBy()).isEmpty();
            assertThat(f.failure().orElseThrow()).startsWith("connect to ").contains("failed");
        });
    }

    private static LoadGenerator load(ShopApp site, List<TenantId> tenants, ShopWorkload shop, int requests,
                                      int clientsPerTenant) {
        return LoadGenerator.target(site.uri()).tenants(tenants)
                .addressing(TenantAddressing.header(RecordingBackend.TENANT_HEADER)).workload(shop)
                .clients(tenants.size() * clientsPerTenant).maxRequests(requests).duration(Duration.ofSeconds(40))
                .build();
    }

    private static void run(LoadGenerator load) throws InterruptedException {
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.workloadFailure()).isEmpty();
        }
    }
}

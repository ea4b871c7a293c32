package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small plans and fingerprints built by hand, for the unit tests of the plan file and the fingerprint. */
final class PlanSamples {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");

    private PlanSamples() {
    }

    static TableShape orders() {
        return new TableShape(List.of("id int(11) NOT NULL", "tenant_id int(11) NOT NULL",
                "note varchar(60) NULL DEFAULT NULL"), List.of("PRIMARY PRIMARY KEY (id)", "tenant_id INDEX (tenant_id)"));
    }

    static Fingerprint fingerprint() {
        return new Fingerprint(
                Map.of(TenantId.of("shop-001"), LEGACY, TenantId.of("shop-002"), LEGACY, TenantId.of("shop-003"), CLOUD),
                Map.of(LEGACY, Map.of("orders", orders()), CLOUD, Map.of("orders", orders())),
                Map.of(TenantId.of("shop-001"), 1000L, TenantId.of("shop-002"), 40L), Fingerprint.Tolerance.DEFAULT);
    }

    static Plan plan() {
        PlannedMove m1 = new PlannedMove(TenantId.of("shop-001"), 1000, 160_000, Duration.ofMillis(1250),
                Duration.ofMillis(2500), Duration.ofMillis(2700));
        PlannedMove m2 = new PlannedMove(TenantId.of("shop-002"), 40, 6_400, Duration.ofMillis(50),
                Duration.ofMillis(2500), Duration.ofMillis(2700));
        return Plan.of(Instant.parse("2026-11-29T12:00:00Z"), LEGACY, CLOUD, Duration.ofSeconds(5),
                List.of(new PlannedWave("pilot", Gate.APPROVAL, List.of(m1)), new PlannedWave("rest", Gate.AUTO, List.of(m2))),
                List.of(new SkippedTenant(TenantId.of("shop-003"), "rest", "already on cloud")),
                List.of(new RefusedTenant(TenantId.of("shop-004"), "rest", "estimated freeze 9.0 s exceeds freeze.max 5.0 s")),
                List.of(new PreflightFinding(LEGACY, CLOUD, PreflightFinding.Severity.OK, "scope: 3 tables (3 per tenant)"),
                        new PreflightFinding(CLOUD, LEGACY, PreflightFinding.Severity.WARNING, "table countries is shared")),
                ThroughputSample.given(800, 128_000), fingerprint());
    }
}

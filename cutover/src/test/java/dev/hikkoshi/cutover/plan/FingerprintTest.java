package dev.hikkoshi.cutover.plan;

import static dev.hikkoshi.cutover.plan.PlanSamples.CLOUD;
import static dev.hikkoshi.cutover.plan.PlanSamples.LEGACY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static final TenantId SHOP1 = TenantId.of("shop-001");
    private static final TenantId SHOP2 = TenantId.of("shop-002");

    @Test
    void theSameWorld_hasNoDifferences() {
        assertThat(PlanSamples.fingerprint().differences(PlanSamples.fingerprint())).isEmpty();
    }

    @Test
    void eachDifference_isOneReadableLine_inAStableOrder_andANewTenantIsNone() {
        Fingerprint then = PlanSamples.fingerprint();
        Map<TenantId, SiteId> placements = new HashMap<>(then.placements());
        placements.put(SHOP1, CLOUD);
        placements.remove(TenantId.of("shop-003"));
        placements.put(TenantId.of("shop-009"), LEGACY);
        TableShape changed = new TableShape(List.of("id int(11) NOT NULL", "tenant_id bigint(20) NOT NULL",
                "note varchar(60) NULL DEFAULT NULL", "extra int(11) NULL"),
                List.of("PRIMARY PRIMARY KEY (id)"));
        TableShape coupons = new TableShape(List.of("id int(11) NOT NULL"), List.of("PRIMARY PRIMARY KEY (id)"));
        Fingerprint now = new Fingerprint(placements,
                Map.of(LEGACY, Map.of("orders", PlanSamples.orders(), "coupons", coupons), CLOUD, Map.of("orders", changed)),
                Map.of(SHOP1, 1520L, SHOP2, 540L), Fingerprint.Tolerance.DEFAULT);
        assertThat(then.differences(now)).containsExactly(
                "tenant shop-001: on cloud, the plan assumed legacy",
                "tenant shop-003: no longer in the tenant directory",
                "site cloud: table orders differs (column tenant_id changed (int(11) NOT NULL -> bigint(20) NOT NULL),"
                        + " column extra added, key tenant_id removed)",
                "site legacy: table coupons added",
                "tenant shop-001: 1520 rows, the plan assumed 1000 (tolerance 10%, at least 500 rows)");
    }

    @Test
    void tolerance_allowsTheLargerOfTheFractionAndTheSlack() {
        Fingerprint.Tolerance t = new Fingerprint.Tolerance(0.10, 500);
        assertThat(t.allows(40, 540)).isTrue();
        assertThat(t.allows(40, 541)).isFalse();
        assertThat(t.allows(10_000, 11_000)).isTrue();
        assertThat(t.allows(10_000, 8_999)).isFalse();
    }

    @Test
    void aDroppedTable_andADroppedColumn_areNamed() {
        Fingerprint then = PlanSamples.fingerprint();
        TableShape fewer = new TableShape(List.of("id int(11) NOT NULL", "tenant_id int(11) NOT NULL"),
                PlanSamples.orders().keys());
        Fingerprint now = new Fingerprint(then.placements(), Map.of(LEGACY, Map.of(), CLOUD, Map.of("orders", fewer)),
                then.tenantRows(), then.tolerance());
        assertThat(then.differences(now)).containsExactly("site cloud: table orders differs (column note removed)",
                "site legacy: table orders dropped");
    }
}

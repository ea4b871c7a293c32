package dev.hikkoshi.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.router.freeze.FreezeGate;
import dev.hikkoshi.router.table.RoutingTableHolder;
import dev.hikkoshi.router.table.RoutingTableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessRouterControlTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final List<SiteId> SITES = List.of(SiteId.of("legacy"), SiteId.of("cloud"));

    @TempDir
    Path dir;
    private FreezeGate gate;

    @AfterEach
    void close() {
        gate.close();
    }

    private InProcessRouterControl control(String unknownTenant, RoutingTableHolder table) {
        RouterConfig config = RouterConfig.load(ConfigDocument.parse(Path.of("t.yaml"), """
                sites: { legacy: { upstreams: ["http://127.0.0.1:1"] }, cloud: { upstreams: ["http://127.0.0.1:2"] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router:
                  admin: { tokens: { t: { env: T } } }
                  tenant-from: [ { path: "/t/{tenant}/" } ]
                  unknown-tenant: %s
                """.formatted(unknownTenant), Map.of("T", "x")));
        gate = new FreezeGate(table, config.freeze(), "in-process");
        return new InProcessRouterControl(table, gate, () -> config);
    }

    @Test
    void freeze_persistsTheFrozenFlagBeforeDraining_andReleaseClearsIt() {
        RoutingTableStore store = new RoutingTableStore(dir);
        RoutingTableHolder table = RoutingTableHolder.persistent(store, SITES);
        InProcessRouterControl control = control("legacy", table);
        control.push(new RoutingTable(4, Map.of()));
        FreezeReport report = control.freeze(ACME, Duration.ofSeconds(1));
        assertThat(report.tenant()).isEqualTo(ACME);
        assertThat(report.tableVersion()).isEqualTo(4);
        assertThat(report.drainedRequests()).isZero();
        assertThat(new RoutingTableStore(dir).load(SITES))
                .contains(new RoutingTable(4, Map.of(ACME, new Placement(SiteId.of("legacy"), true))));
        control.release(ACME);
        assertThat(control.table()).isEqualTo(new RoutingTable(4, Map.of(ACME, Placement.at(SiteId.of("legacy")))));
    }

    @Test
    void freeze_unknownTenant_isAUserError() {
        InProcessRouterControl control = control("legacy", new RoutingTableHolder(RoutingTable.empty(), Optional.empty()));
        assertThatThrownBy(() -> control.freeze(TenantId.of("nobody"), Duration.ofSeconds(1)))
                .isInstanceOf(UserException.class)
                .hasMessage("unknown tenant nobody");
    }

    @Test
    void freeze_unplacedTenantWithReject_isAUserError() {
        InProcessRouterControl control = control("reject", new RoutingTableHolder(RoutingTable.empty(), Optional.empty()));
        assertThatThrownBy(() -> control.freeze(ACME, Duration.ofSeconds(1)))
                .isInstanceOf(UserException.class)
                .hasMessage("tenant acme is not placed on any site (no routing table places it and unknown-tenant is reject)");
    }

    @Test
    void push_tableWithAnUnknownSite_isRefusedAndNotApplied() {
        RoutingTableHolder table = new RoutingTableHolder(RoutingTable.empty(), Optional.empty());
        InProcessRouterControl control = control("legacy", table);
        assertThatThrownBy(() -> control.push(new RoutingTable(2, Map.of(ACME, Placement.at(SiteId.of("aws"))))))
                .isInstanceOf(UserException.class)
                .hasMessage("routing table version 2 places tenant acme on site aws, which this router's config does"
                        + " not define (sites: [legacy, cloud])");
        assertThat(control.appliedVersion()).isZero();
    }
}

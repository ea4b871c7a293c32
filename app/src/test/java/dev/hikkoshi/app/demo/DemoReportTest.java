package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopOperation;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.Violation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The report's judgement: each check fails on its own broken promise, with the outcome written out as values. */
class DemoReportTest {
    private static final TenantId HEALTHY = TenantId.of("shop-001");
    private static final TenantId SLOW = TenantId.of("shop-002");
    private static final TenantId STAYS = TenantId.of("shop-003");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LINE = "rollback line crossed in two consecutive windows (1 and 2): p99 712 ms > 300 ms";

    private final List<MoveEvent.Transition> transitions = new ArrayList<>();
    private final List<ShopExchange> exchanges = new ArrayList<>();
    private MoveState slowState = MoveState.ROLLED_BACK;
    private MoveState healthyState = MoveState.DONE;

    DemoReportTest() {
        transitions.add(transition(HEALTHY, MoveState.FINAL_SYNC, MoveState.SWITCHED, "switched", 10));
        transitions.add(transition(HEALTHY, MoveState.BAKING, MoveState.DONE, "baked", 20));
        transitions.add(transition(SLOW, MoveState.FINAL_SYNC, MoveState.SWITCHED, "switched", 10));
        transitions.add(transition(SLOW, MoveState.BAKING, MoveState.ROLLBACK_FROZEN, LINE, 16));
        transitions.add(transition(SLOW, MoveState.ROLLBACK_FROZEN, MoveState.ROLLBACK_SYNC, "reverse drained", 17));
        transitions.add(transition(SLOW, MoveState.ROLLBACK_SYNC, MoveState.ROLLED_BACK, "placed back", 18));
        read(HEALTHY, "legacy", 1, 2);
        read(HEALTHY, "cloud", 11, 12);
        read(SLOW, "cloud", 12, 13);
        read(SLOW, "legacy", 19, 20);
        read(STAYS, "legacy", 5, 6);
    }

    @Test
    void everyPromiseKept_everyCheckOk() {
        DemoReport report = new DemoReport(outcome(0));

        assertThat(report.checks()).extracting(DemoReport.Check::name).containsExactly("no failed request",
                "no misrouted write (RoutingInvariant)",
                "every acknowledged write on its tenant's final site (AckedWritesCheck)",
                "shop-002 rolled back by its rollback line", "shop-001 baked healthy to DONE");
        assertThat(report.checks()).allMatch(DemoReport.Check::ok);
        assertThat(report.ok()).isTrue();
        assertThat(report.render()).contains("    + 16.00s  BAKING          -> ROLLBACK_FROZEN " + LINE + "\n")
                .endsWith("\nresult: ok: every check held\n");
    }

    @Test
    void aRequestAtTheOldSiteAfterTheSwitch_isAMisroutedWrite() {
        read(HEALTHY, "legacy", 14, 15);

        DemoReport report = new DemoReport(outcome(0));

        assertThat(failed(report)).containsExactly("no misrouted write (RoutingInvariant)");
        assertThat(report.render()).contains("  FAILED  no misrouted write (RoutingInvariant) (")
                .endsWith("\nresult: FAILED: see the checks above\n");
    }

    @Test
    void aFailedRequest_anAckedWriteMissing_anOperatorRollback_andABakeNotDone_eachFailTheirCheck() {
        exchanges.add(new ShopExchange(STAYS, new ShopOperation.ListOrders(), OptionalLong.empty(), Optional.empty(),
                at(7), at(8), 0, Optional.of("connection reset")));
        transitions.set(3, transition(SLOW, MoveState.BAKING, MoveState.ROLLBACK_FROZEN, "rollback requested by ops", 16));
        healthyState = MoveState.BAKING;

        DemoReport report = new DemoReport(outcome(1));

        assertThat(failed(report)).containsExactly("no failed request", "no misrouted write (RoutingInvariant)",
                "every acknowledged write on its tenant's final site (AckedWritesCheck)",
                "shop-002 rolled back by its rollback line", "shop-001 baked healthy to DONE");
    }

    @Test
    void theSlowTenantNeverTurnedBack_failsItsCheck() {
        transitions.removeIf(t -> t.tenant().equals(SLOW) && t.at().isAfter(at(15)));
        slowState = MoveState.BAKING;

        DemoReport report = new DemoReport(outcome(0));

        assertThat(failed(report)).contains("shop-002 rolled back by its rollback line");
        assertThat(report.checks().get(3).evidence()).isEqualTo("final state BAKING on cloud; it never turned back");
    }

    private static List<String> failed(DemoReport report) {
        return report.checks().stream().filter(c -> !c.ok()).map(DemoReport.Check::name).toList();
    }

    private DemoOutcome outcome(int violations) {
        List<Violation> found = new ArrayList<>();
        for (int i = 0; i < violations; i++) {
            found.add(new Violation(HEALTHY, "order 7 missing on cloud"));
        }
        return new DemoOutcome(Path.of("/tmp/demo/hikkoshi.yaml"), URI.create("http://127.0.0.1:1"),
                URI.create("http://127.0.0.1:2"), List.of(HEALTHY, SLOW, STAYS), HEALTHY, SLOW, Duration.ofMillis(700), 8,
                T0, at(1), at(21), transitions,
                List.of(status(HEALTHY, healthyState), status(SLOW, slowState)),
                Map.of(HEALTHY, Duration.ofMillis(120)), Optional.empty(), exchanges,
                Map.of(ShopSites.CLOUD, new AckedWritesCheck.Report(3, 0, found),
                        ShopSites.LEGACY, new AckedWritesCheck.Report(5, 0, List.of())), Optional.empty());
    }

    private static MoveStatus status(TenantId tenant, MoveState state) {
        return new MoveStatus(tenant, "demo", 1, state, at(20), ShopSites.LEGACY, ShopSites.CLOUD,
                Optional.of(Duration.ofMillis(120)), Optional.empty(), Optional.empty());
    }

    private static MoveEvent.Transition transition(TenantId tenant, MoveState from, MoveState to, String reason, int s) {
        return new MoveEvent.Transition(tenant, 1, from, to, reason, at(s));
    }

    private void read(TenantId tenant, String site, int started, int answered) {
        exchanges.add(new ShopExchange(tenant, new ShopOperation.ListOrders(), OptionalLong.empty(), Optional.of(site),
                at(started), at(answered), 200, Optional.empty()));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }
}

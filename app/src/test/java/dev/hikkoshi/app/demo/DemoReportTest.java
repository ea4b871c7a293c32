package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopOperation;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.TenantRowsComparison;
import dev.hikkoshi.sandbox.shop.Violation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The report's judgement: each check fails on its own broken promise, with the outcome written out as values. */
class DemoReportTest {
    private static final DemoScenario SCENARIO = DemoScenario.standard(4);
    private static final TenantId HEALTHY = TenantId.of("shop-001");
    private static final TenantId OTHER = TenantId.of("shop-002");
    private static final TenantId SLOW = TenantId.of("shop-003");
    private static final TenantId PILOT = TenantId.of("shop-004");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LINE = "rollback line crossed in two consecutive windows (1 and 2): p99 1212 ms > 600 ms";

    private final List<MoveEvent.Transition> transitions = new ArrayList<>();
    private final List<ShopExchange> exchanges = new ArrayList<>();
    private final Map<TenantId, MoveState> states = new LinkedHashMap<>();
    private final Map<TenantId, TenantRowsComparison.Result> compared = new LinkedHashMap<>();

    DemoReportTest() {
        for (TenantId t : List.of(HEALTHY, OTHER, PILOT)) {
            transitions.add(transition(t, MoveState.PLANNED, MoveState.COPYING, "cleaned", 3));
            transitions.add(transition(t, MoveState.COPYING, MoveState.SYNCED, "copied", 5));
            transitions.add(transition(t, MoveState.FINAL_SYNC, MoveState.SWITCHED, "switched", 10));
            transitions.add(transition(t, MoveState.BAKING, MoveState.DONE, "baked", 20));
            states.put(t, MoveState.DONE);
            compared.put(t, new TenantRowsComparison.Result(t, 100, List.of()));
            read(t, "legacy", 1, 2);
            read(t, "cloud", 11, 12);
        }
        transitions.add(transition(SLOW, MoveState.FINAL_SYNC, MoveState.SWITCHED, "switched", 10));
        transitions.add(transition(SLOW, MoveState.BAKING, MoveState.ROLLBACK_FROZEN, LINE, 16));
        transitions.add(transition(SLOW, MoveState.ROLLBACK_FROZEN, MoveState.ROLLBACK_SYNC, "reverse drained", 17));
        transitions.add(transition(SLOW, MoveState.ROLLBACK_SYNC, MoveState.ROLLED_BACK, "placed back", 18));
        transitions.add(transition(SLOW, MoveState.ROLLED_BACK, MoveState.PLANNED, "cleaned up", 19));
        states.put(SLOW, MoveState.PLANNED);
        read(SLOW, "legacy", 1, 2);
        read(SLOW, "cloud", 12, 13);
        read(SLOW, "legacy", 19, 20);
    }

    @Test
    void everyPromiseKept_everyCheckOk_andTheLastLineSaysSoForMachines() {
        DemoReport report = new DemoReport(outcome(0));

        assertThat(report.checks()).extracting(DemoReport.Check::name).containsExactly("no failed request",
                "no misrouted write (RoutingInvariant)",
                "every acknowledged write on its tenant's final site (AckedWritesCheck)",
                "shop-003 rolled back by its rollback line",
                "every other tenant (3) moved to cloud and baked healthy to DONE",
                "each moved tenant's rows equal on cloud and legacy (independent comparison)");
        assertThat(report.checks()).allMatch(DemoReport.Check::ok);
        assertThat(report.ok()).isTrue();
        assertThat(report.render())
                .contains("\n  half   shop-001       500  DONE         cloud     1500 ms   2000 ms    120 ms         2       0  legacy -> cloud\n")
                .contains("\n  rest   shop-003       250  PLANNED      legacy     700 ms         -         -         3       0  legacy -> cloud -> legacy\n")
                .contains("\n  freeze times of the 3 moved tenants: median 90 ms, largest 120 ms\n")
                .contains("\n  ok      each moved tenant's rows equal on cloud and legacy (independent comparison) (300 rows of 3 tenants equal)\n")
                .endsWith("\nresult: ok: every check held\n"
                        + "demo: moved=3 rolled-back=1 requests=9 failed=0 lost=0 freeze-max-ms=120 verified-rows=300\n");
    }

    @Test
    void aRequestAtTheOldSiteAfterTheSwitch_isAMisroutedWrite() {
        read(HEALTHY, "legacy", 14, 15);

        DemoReport report = new DemoReport(outcome(0));

        assertThat(failed(report)).containsExactly("no misrouted write (RoutingInvariant)");
        assertThat(report.render()).contains("  FAILED  no misrouted write (RoutingInvariant) (")
                .contains("\nresult: FAILED: see the checks above\n");
    }

    @Test
    void aFailedRequest_aLostWrite_anOperatorRollback_aBakeNotDone_andUnequalRows_eachFailTheirCheck() {
        exchanges.add(new ShopExchange(PILOT, new ShopOperation.ListOrders(), OptionalLong.empty(), Optional.empty(),
                at(7), at(8), 0, Optional.of("connection reset")));
        transitions.set(13, transition(SLOW, MoveState.BAKING, MoveState.ROLLBACK_FROZEN, "rollback requested by ops", 16));
        states.put(OTHER, MoveState.BAKING);
        compared.put(HEALTHY, new TenantRowsComparison.Result(HEALTHY, 100, List.of("orders: 40 rows on cloud, 39 on legacy")));

        DemoReport report = new DemoReport(outcome(1));

        assertThat(failed(report)).containsExactly("no failed request", "no misrouted write (RoutingInvariant)",
                "every acknowledged write on its tenant's final site (AckedWritesCheck)",
                "shop-003 rolled back by its rollback line",
                "every other tenant (3) moved to cloud and baked healthy to DONE",
                "each moved tenant's rows equal on cloud and legacy (independent comparison)");
        assertThat(report.checks().get(4).evidence()).isEqualTo("1 not: shop-002 BAKING on cloud");
        assertThat(report.render()).endsWith("demo: moved=3 rolled-back=1 requests=10 failed=1 lost=1 freeze-max-ms=120"
                + " verified-rows=200\n");
    }

    @Test
    void rowsTheReverseVerificationReCopiedBeforeDone_failTheRowsCheck_thoughTheRowsAreEqualAtTheEnd() {
        transitions.replaceAll(t -> t.tenant().equals(HEALTHY) && t.to() == MoveState.DONE
                ? transition(HEALTHY, MoveState.BAKING, MoveState.DONE, "baked: 2 healthy windows; reverse sync: tenant"
                + " verified in full (100 rows, 0.1 s): 1 row(s) still differed after the stream caught up and were"
                + " re-copied by key (missing order_items (42))", 20) : t);

        DemoReport report = new DemoReport(outcome(0));

        assertThat(failed(report)).containsExactly("each moved tenant's rows equal on cloud and legacy (independent comparison)");
        assertThat(report.checks().get(5).evidence()).endsWith("; the reverse sync missed rows that its verification"
                + " before DONE re-copied: " + HEALTHY + ": reverse sync: tenant verified in full (100 rows, 0.1 s): 1"
                + " row(s) still differed after the stream caught up and were re-copied by key (missing order_items (42))");
    }

    @Test
    void theSlowTenantNeverTurnedBack_failsItsCheck() {
        transitions.removeIf(t -> t.tenant().equals(SLOW) && t.at().isAfter(at(15)));
        states.put(SLOW, MoveState.BAKING);

        DemoReport report = new DemoReport(outcome(0));

        assertThat(failed(report)).contains("shop-003 rolled back by its rollback line");
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
        List<PlanSettings.Wave> waves = List.of(new PlanSettings.Wave("pilot", List.of(PILOT)),
                new PlanSettings.Wave("half", List.of(HEALTHY, OTHER)), new PlanSettings.Wave("rest", List.of(SLOW)));
        return new DemoOutcome(Path.of("/tmp/demo/hikkoshi.yaml"), URI.create("http://127.0.0.1:1"),
                URI.create("http://127.0.0.1:2"), SCENARIO, T0, at(1), at(21), waves,
                Map.of(HEALTHY, 500L, OTHER, 250L, SLOW, 250L, PILOT, 125L),
                Map.of(HEALTHY, Duration.ofMillis(1500), OTHER, Duration.ofMillis(900), SLOW, Duration.ofMillis(700),
                        PILOT, Duration.ofMillis(400)), transitions,
                states.entrySet().stream().map(e -> status(e.getKey(), e.getValue())).toList(),
                Map.of(HEALTHY, Duration.ofMillis(120), OTHER, Duration.ofMillis(90), PILOT, Duration.ofMillis(40)),
                Optional.empty(), exchanges,
                Map.of(ShopSites.CLOUD, new AckedWritesCheck.Report(3, 0, found),
                        ShopSites.LEGACY, new AckedWritesCheck.Report(5, 0, List.of())), compared, Optional.empty());
    }

    private static MoveStatus status(TenantId tenant, MoveState state) {
        return new MoveStatus(tenant, "half", 1, state, at(20), ShopSites.LEGACY, ShopSites.CLOUD,
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

package dev.hikkoshi.cutover.plan;

import static dev.hikkoshi.cutover.plan.PlanFixture.CLOUD;
import static dev.hikkoshi.cutover.plan.PlanFixture.LEGACY;
import static dev.hikkoshi.cutover.plan.PlanFixture.T1;
import static dev.hikkoshi.cutover.plan.PlanFixture.T2;
import static dev.hikkoshi.cutover.plan.PlanFixture.T3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.plan.PreflightFinding.Severity;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi plan}'s planner over real MariaDB servers: estimates exactly as a given throughput sample implies,
 * refusals of tenants whose freeze cannot fit, skipped tenants already moved, and a throughput measured by copying
 * real rows to a scratch schema that is gone afterwards.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class PlannerIT {
    static final RouterReadings NO_ROUTERS = RouterReadings.none("no router in this test");
    @TempDir
    Path dir;

    @Test
    void givenSample_estimatesAreExactlyWhatItImplies_andATenantAlreadyMovedIsSkipped(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s"); Planner planner = f.planner()) {
            f.place(T3, CLOUD);
            Map<String, Long> avg = PlanFixture.avgRowLengths(pair.source());

            // Row-bound: 100 rows/s, bytes practically free. binlog: the final sync is the drain's fixed 500 ms.
            Plan plan = planner.plan(Optional.of(ThroughputSample.given(100, 1e12)), NO_ROUTERS);
            assertThat(plan.waves()).extracting(PlannedWave::name, PlannedWave::gate)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pilot", Gate.APPROVAL),
                            org.assertj.core.groups.Tuple.tuple("rest", Gate.AUTO));
            assertThat(plan.waves().get(0).moves()).containsExactly(new PlannedMove(T1, 65,
                    PlanFixture.seededBytes(1, avg), Duration.ofMillis(650), Duration.ofMillis(500), Duration.ofMillis(700)));
            assertThat(plan.waves().get(1).moves()).containsExactly(new PlannedMove(T2, 33,
                    PlanFixture.seededBytes(2, avg), Duration.ofMillis(330), Duration.ofMillis(500), Duration.ofMillis(700)));
            assertThat(PlanFixture.seededRows(1)).isEqualTo(65);
            assertThat(plan.skipped()).containsExactly(new SkippedTenant(T3, "rest", "already on cloud"));
            assertThat(plan.refused()).isEmpty();
            assertThat(plan.from()).isEqualTo(LEGACY);
            assertThat(plan.to()).isEqualTo(CLOUD);
            assertThat(plan.fingerprint().placements()).isEqualTo(Map.of(T1, LEGACY, T2, LEGACY, T3, CLOUD));
            assertThat(plan.fingerprint().tenantRows()).isEqualTo(Map.of(T1, 65L, T2, 33L));
            assertThat(plan.fingerprint().schemas().get(CLOUD)).containsOnlyKeys("customers", "order_items", "orders");
            assertThat(plan.fingerprint().schemas().get(LEGACY).get("orders").columns()).containsExactly(
                    "id int(11) NOT NULL", "tenant_id int(11) NOT NULL", "customer_id int(11) NOT NULL",
                    "note varchar(60) NULL DEFAULT 'none' COLLATE utf8mb4_general_ci");
            assertThat(plan.preflight()).contains(
                    new PreflightFinding(LEGACY, CLOUD, Severity.OK, "scope: 3 tables (3 per tenant)"),
                    new PreflightFinding(LEGACY, CLOUD, Severity.WARNING, "long-lived requests that could keep a freeze"
                            + " from draining: not checked (no router in this test); a freeze that cannot"
                            + " drain within its timeout aborts the move"),
                    new PreflightFinding(CLOUD, LEGACY, Severity.OK, "a rollback carries every in-scope column back"));

            // Byte-bound: rows practically free, 1,000 bytes/s: the copy takes exactly bytes milliseconds.
            Plan byBytes = planner.plan(Optional.of(ThroughputSample.given(1e12, 1000)), NO_ROUTERS);
            assertThat(byBytes.waves().get(0).moves().get(0).copyEstimate())
                    .isEqualTo(Duration.ofMillis(PlanFixture.seededBytes(1, avg)));
            assertThat(byBytes.id()).isNotEqualTo(plan.id());
        }
    }

    @Test
    void differential_refusesTenantsWhoseFullPassCannotFitFreezeMax_andNamesTheReason(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "differential", "1s"); Planner planner = f.planner()) {
            Plan plan = planner.plan(Optional.of(ThroughputSample.given(20, 1e12)), NO_ROUTERS);
            // 65 rows at 20 rows/s: 3.25 s to copy, as long again for the final checksum pass, plus 200 ms of switch.
            assertThat(plan.refused()).containsExactly(
                    new RefusedTenant(T1, "pilot", "estimated freeze 3.5 s exceeds freeze.max 1.0 s: differential"
                            + " capture checksums all 65 rows of the tenant inside the freeze"),
                    new RefusedTenant(T2, "rest", "estimated freeze 1.9 s exceeds freeze.max 1.0 s: differential"
                            + " capture checksums all 33 rows of the tenant inside the freeze"));
            assertThat(plan.waves().get(0).moves()).isEmpty();
            assertThat(plan.waves().get(1).moves()).extracting(PlannedMove::tenant, PlannedMove::finalSyncEstimate,
                    PlannedMove::freezeEstimate).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(T3, Duration.ofMillis(350), Duration.ofMillis(550)));
            assertThat(plan.fingerprint().tenantRows()).containsOnlyKeys(T3);
        }
    }

    @Test
    void measuredSample_copiesRealRowsToAScratchSchema_thenRemovesItAndItsCheckpoint(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s"); Planner planner = f.planner()) {
            Plan plan = planner.plan(Optional.empty(), NO_ROUTERS);
            ThroughputSample sample = plan.throughput();
            // t1 is the largest tenant; orders (20 rows) is its largest table with a single integer key.
            assertThat(sample.measured()).isTrue();
            assertThat(sample.rows()).isEqualTo(20);
            assertThat(sample.rowsPerSecond()).isPositive();
            PlannedMove t1 = plan.waves().get(0).moves().get(0);
            assertThat(t1.copyEstimate()).isEqualTo(sample.copyTime(t1.rows(), t1.bytes()));
            assertThat(query(pair, "SHOW DATABASES LIKE 'hikkoshi\\_plan\\_sample%'")).isEmpty();
            assertThat(query(pair, "SELECT job FROM hikkoshi.copy_range WHERE job LIKE '%plan-sample%'")).isEmpty();
            assertThat(query(pair, "SELECT COUNT(*) FROM `" + pair.target().name() + "`.orders")).containsExactly("0");
        }
    }

    @Test
    void measuredSample_ofATenantThatLostRowsSinceItWasCounted_copiesTheRowsItStillHas(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s")) {
            PlanFixture.Probe p = f.probe();
            var t1 = p.tenants().find(T1).orElseThrow();
            var counted = p.sizer().size(t1);
            assertThat(counted.rowsByTable()).containsEntry("orders", 20L);
            // the application deletes orders (and, cascading, their items) between the count and the sample
            pair.source().execute("DELETE FROM orders WHERE tenant_id = 1 ORDER BY id DESC LIMIT 5");
            ThroughputSample sample = p.probe().measure(t1, counted, p.sizer());
            assertThat(sample.measured()).isTrue();
            assertThat(sample.rows()).isEqualTo(15);
        }
    }

    @Test
    void tenantsMovedOrInAMove_areSkipped_andWithNoneLeft_thereIsNothingToPlan(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s"); Planner planner = f.planner()) {
            f.place(T3, CLOUD);
            try (Journal journal = Journal.openIn(f.stateDir)) {
                journal(journal, T2, "rest", MoveState.PLANNED, MoveState.COPYING);
                journal(journal, T1, "pilot", MoveState.PLANNED, MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
                        MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE);
            }
            assertThatThrownBy(() -> planner.plan(Optional.of(ThroughputSample.given(100, 1e6)), NO_ROUTERS))
                    .isInstanceOf(UserException.class)
                    .hasMessage("nothing to plan: each of the 3 tenants of the waves is already on cloud, in a move or"
                            + " failed (t1: DONE in the journal: already moved to cloud; ...)");
        }
    }

    @Test
    void skipReasons_fromThePlacementAndTheJournal() {
        assertThat(Planner.skipReason(LEGACY, MoveState.COPYING, LEGACY, CLOUD)).contains("in the middle of a move"
                + " (COPYING in the journal): hikkoshi apply --resume continues it");
        assertThat(Planner.skipReason(LEGACY, MoveState.FAILED, LEGACY, CLOUD))
                .contains("FAILED in the journal: a human must look (hikkoshi status)");
        assertThat(Planner.skipReason(LEGACY, MoveState.ROLLED_BACK, LEGACY, CLOUD)).isEmpty();
        assertThat(Planner.skipReason(CLOUD, null, LEGACY, CLOUD)).contains("already on cloud");
        assertThat(Planner.skipReason(null, null, LEGACY, CLOUD)).isEmpty();
    }

    private static void journal(Journal journal, TenantId tenant, String wave, MoveState... path) {
        for (int i = 1; i < path.length; i++) {
            journal.append(new JournalEntry.Transition(tenant, wave, 1, LEGACY, CLOUD, path[i - 1], path[i], "test",
                    Map.of(), Instant.now()));
        }
    }

    private static List<String> query(SchemaPair pair, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pair.target().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

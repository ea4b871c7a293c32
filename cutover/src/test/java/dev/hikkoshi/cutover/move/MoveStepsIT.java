package dev.hikkoshi.cutover.move;

import static dev.hikkoshi.cutover.move.StepsFixture.CLOUD;
import static dev.hikkoshi.cutover.move.StepsFixture.LEGACY;
import static dev.hikkoshi.cutover.move.StepsFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tiny tenant driven by the real move runner (journaled) through every forward step, back through a
 * rollback, and again after an aborted attempt,
 * over real MariaDB servers (binlog capture both ways), a real router driven over its admin API on loopback, and
 * a writer that keeps changing the tenant's rows through the router the whole time. The independent checks: the
 * writer's record of acknowledged writes and who served them, and both sites' rows read with plain SQL.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(180)
class MoveStepsIT {
    @TempDir
    Path dir;

    @Test
    void everyForwardStep_whileTheTenantsRowsChange_endsOnTheNewSiteWithEveryWriteAndEqualRows(SchemaPair pair)
            throws Exception {
        try (StepsFixture f = new StepsFixture(pair, dir, "5s")) {
            List<BypassWrite> bypasses = new CopyOnWriteArrayList<>();
            MoveSteps steps = f.steps(List.of(f.httpControl(f.router, Duration.ofSeconds(5))),
                    MoveHooks.NONE.withBypassListener(bypasses::add), Duration.ofSeconds(5));
            MoveRunner runner = f.runner(StepsFixture.bakeFor(Duration.ofMillis(1_500)));
            ShopWriter writer = new ShopWriter(f.proxy(), StepsFixture.t1Orders(), 50_000, 7);
            writer.start();
            Thread.sleep(500);

            MoveAttempt done = runner.run(StepsFixture.planned(1), false);
            writer.stop();

            assertThat(done.state()).isEqualTo(MoveState.DONE);
            assertThat(f.journaledPath()).containsExactly("PLANNED>COPYING", "COPYING>SYNCED", "SYNCED>FROZEN",
                    "FROZEN>FINAL_SYNC", "FINAL_SYNC>SWITCHED", "SWITCHED>BAKING", "BAKING>DONE");
            assertThat(writer.failures()).isEmpty();
            assertServedByOneSiteThenTheOther(writer, LEGACY.value(), CLOUD.value());
            assertThat(f.router.routingTable().placement(T1)).contains(Placement.at(CLOUD));
            assertThat(steps.fleet().table().placement(T1)).contains(Placement.at(CLOUD));
            assertThat(Files.exists(dir.resolve("state").resolve(RouterFleet.STATE_SUBDIR).resolve("routing-table.json")))
                    .isTrue();

            assertThat(StepsFixture.notes(pair.target().jdbcUrl())).containsAllEntriesOf(writer.expectedNotes());
            TenantStream back = steps.streams().get(new StreamId(T1, CLOUD, LEGACY)).orElseThrow();
            assertThat(back.awaitCaughtUp(Duration.ofSeconds(30))).as("%s", back.status()).isTrue();
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 1))
                    .containsExactlyElementsOf(StepsFixture.tenantRows(pair.source().jdbcUrl(), 1))
                    .hasSizeGreaterThan(60);
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 2)).isEmpty();
            assertThat(steps.streams().get(new StreamId(T1, LEGACY, CLOUD))).as("forward stream stopped").isEmpty();
            long frozenMillis = Long.parseLong(done.note(NoteKeys.FREEZE_MILLIS).orElseThrow());
            assertThat(frozenMillis).isPositive().isLessThan(5_000);
            assertThat(done.note(NoteKeys.REVERSE_POSITION)).isPresent();
            assertThat(done.note(NoteKeys.SWITCH_VERSION)).contains(Long.toString(steps.fleet().table().version()));

            // A cron job on the old site writes to the moved tenant's order: the split-brain report names it, and
            // none of the reverse sync's own writes to the old site was reported.
            assertThat(bypasses).as("reverse sync writes are hikkoshi's own").isEmpty();
            pair.source().execute("UPDATE orders SET note = 'written by a cron job' WHERE id = 1004");
            BypassWrite seen = StepsFixture.within(Duration.ofSeconds(20), x -> bypasses.isEmpty() ? null : bypasses.get(0));
            assertThat(seen).isNotNull();
            assertThat(bypasses).extracting(BypassWrite::tenant, BypassWrite::site, BypassWrite::table,
                    BypassWrite::primaryKey).containsExactly(tuple(Optional.of(T1), LEGACY, "orders", "id=1004"));
        }
    }

    @Test
    void rollback_afterWritesOnTheNewSite_carriesThemBackAndServesTheOldSiteAgain(SchemaPair pair) throws Exception {
        try (StepsFixture f = new StepsFixture(pair, dir, "5s")) {
            MoveSteps steps = f.steps(List.of(f.router.control()), MoveHooks.NONE, Duration.ofSeconds(5));
            MoveRunner runner = f.runner(StepsFixture.bakeFor(Duration.ofMillis(1_500)));
            ShopWriter writer = new ShopWriter(f.proxy(), StepsFixture.t1Orders(), 60_000, 11);
            writer.start();
            MoveAttempt done = runner.run(StepsFixture.planned(1), false);
            assertThat(done.state()).isEqualTo(MoveState.DONE);
            long onNewSite = writer.acks().stream().filter(a -> a.servedBy().equals(CLOUD.value())).count();
            assertThat(onNewSite).as("writes served by the new site before the rollback").isPositive();

            f.requests.requestRollback(T1, "rolled back by the test");
            MoveAttempt next = runner.run(done, false);
            Thread.sleep(1_000);
            writer.stop();

            assertThat(next.state()).isEqualTo(MoveState.PLANNED);
            assertThat(next.attempt()).isEqualTo(2);
            List<String> path = f.journaledPath();
            assertThat(path.subList(7, path.size())).containsExactly("DONE>ROLLBACK_FROZEN",
                    "ROLLBACK_FROZEN>ROLLBACK_SYNC", "ROLLBACK_SYNC>ROLLED_BACK", "ROLLED_BACK>PLANNED");
            assertThat(f.journaledReasons().get(9)).contains("placed back on legacy and released by 1 router(s) after");
            assertThat(writer.failures()).isEmpty();
            assertServedByOneSiteThenTheOther(writer, LEGACY.value(), CLOUD.value(), LEGACY.value());
            assertThat(f.router.routingTable().placement(T1)).contains(Placement.at(LEGACY));
            assertThat(StepsFixture.notes(pair.source().jdbcUrl())).containsAllEntriesOf(writer.expectedNotes());
            assertThat(steps.streams().streams()).as("no stream runs after the rollback").isEmpty();
        }
    }

    @Test
    void abortedMove_whoseSourceRowsThenChangedAndWereDeleted_movesAgainWithNoStaleRowOnTheTarget(SchemaPair pair)
            throws Exception {
        try (StepsFixture f = new StepsFixture(pair, dir, "5s")) {
            MoveHooks failFirstAttempt = MoveHooks.NONE.withBeforeFreeze(a -> {
                if (a.attempt() == 1) {
                    throw new IllegalStateException("before-freeze hook failed (test)");
                }
            });
            f.steps(List.of(f.router.control()), failFirstAttempt, Duration.ofSeconds(5));
            MoveRunner runner = f.runner(StepsFixture.bakeFor(Duration.ofMillis(100)));
            MoveAttempt next = runner.run(StepsFixture.planned(1), false);
            assertThat(next.state()).isEqualTo(MoveState.PLANNED);
            assertThat(f.journaledPath()).containsExactly("PLANNED>COPYING", "COPYING>SYNCED", "SYNCED>FROZEN",
                    "FROZEN>ABORTING", "ABORTING>PLANNED");
            assertThat(f.journaledReasons().get(3)).isEqualTo("before-freeze hook failed (test)");
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 1)).hasSize(65);
            assertThat(f.router.routingTable().placement(T1)).contains(Placement.at(LEGACY));

            pair.source().execute("DELETE FROM orders WHERE id IN (1001, 1002, 1003)",
                    "DELETE FROM customers WHERE id = 1005",
                    "UPDATE orders SET note = 'changed after the abort' WHERE id = 1010",
                    "DELETE FROM order_items WHERE order_id = 1011 AND line = 2",
                    "INSERT INTO orders VALUES (1099, 1, 1001, 'added after the abort')");

            MoveAttempt done = runner.run(next, false);
            assertThat(done.state()).isEqualTo(MoveState.DONE);
            List<String> source = StepsFixture.tenantRows(pair.source().jdbcUrl(), 1);
            assertThat(source).doesNotContain("c|1005|1|c1_5").contains("o|1099|1|1001|added after the abort");
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 1)).containsExactlyElementsOf(source);
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 2)).isEmpty();
            assertThat(f.journaledReasons().get(5)).startsWith("target cleaned (65 rows left by an earlier attempt removed)");
        }
    }

    @Test
    void rowsTheStreamCannotSee_areFoundBySyncedsFullVerification_andReCopiedBeforeTheFreeze(SchemaPair pair)
            throws Exception {
        try (StepsFixture f = new StepsFixture(pair, dir, "5s")) {
            MoveSteps steps = f.steps(List.of(f.router.control()), MoveHooks.NONE, Duration.ofSeconds(5));
            MoveAttempt attempt = StepsFixture.planned(1);
            attempt = runUntilItLeaves(steps, attempt, new ArrayList<>());
            attempt = runUntilItLeaves(steps, attempt, new ArrayList<>());
            assertThat(attempt.state()).isEqualTo(MoveState.SYNCED);

            // Writes no capture sees (binlog off for the session, as an admin script may do), and a stale row on the
            // target: in no stream's dirty set, so only a comparison of the whole tenant finds them.
            pair.source().execute("SET SESSION sql_log_bin = 0",
                    "UPDATE orders SET note = 'changed unseen' WHERE id = 1003",
                    "INSERT INTO order_items VALUES (1004, 3, 9)");
            pair.target().execute("INSERT INTO orders VALUES (1097, 1, 1001, 'stale on the target')");
            List<String> reasons = new ArrayList<>();
            MoveAttempt frozen = runUntilItLeaves(steps, attempt, reasons);

            assertThat(frozen.state()).isEqualTo(MoveState.FROZEN);
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("tenant verified in full")
                    .contains("3 row(s) still differed after the stream caught up and were re-copied by key")
                    .contains("changed orders (1003): column note").contains("extra orders (1097)")
                    .contains("missing order_items (1004, 3)"));
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 1))
                    .containsExactlyElementsOf(StepsFixture.tenantRows(pair.source().jdbcUrl(), 1))
                    .contains("o|1003|1|1004|changed unseen").doesNotContain("o|1097|1|1001|stale on the target");
            assertThat(StepsFixture.tenantRows(pair.target().jdbcUrl(), 2)).isEmpty();
        }
    }

    /** Runs {@code attempt}'s step until it leaves its state (20 runs at most), noting every reason it gives. */
    private static MoveAttempt runUntilItLeaves(MoveSteps steps, MoveAttempt attempt, List<String> reasons)
            throws Exception {
        MoveStep step = steps.step(attempt.state()).orElseThrow();
        for (int run = 0; run < 20; run++) {
            StepOutcome outcome = step.run(attempt);
            reasons.add(outcome.reason());
            if (!outcome.stays(attempt.state())) {
                return attempt.advance(outcome.next(), outcome.notes());
            }
        }
        throw new AssertionError(attempt.state() + " did not end within 20 runs: " + reasons);
    }

    /** The sites that served the writer's acknowledged writes, in order, with each run of one site merged. */
    static void assertServedByOneSiteThenTheOther(ShopWriter writer, String... sites) {
        List<String> runs = new java.util.ArrayList<>();
        for (ShopWriter.Ack a : writer.acks()) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(a.servedBy())) {
                runs.add(a.servedBy());
            }
        }
        assertThat(runs).as("sites that served the tenant's writes, in order").containsExactly(sites);
    }
}

package dev.hikkoshi.data.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.trigger.TriggerFixture.CollectingSink;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trigger capture on the legacy-like source, taken to be MySQL 5.0.96. */
@ExtendWith(FreshSchemaExtension.class)
@LegacyLikeSource
@Timeout(120)
class TriggerCaptureIT {
    static final Set<String> ALL = Set.of("tenants", "orders", "order_items", "files", "labels");

    @Test
    void everyKindOfChange_isRecordedWithKeysTenantAndParentColumns_andDecodedByColumnType(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            assertThat(capture.installer().installedTriggers()).hasSize(15);
            CapturePosition start = capture.currentPosition();
            assertThat(start).isEqualTo(new CapturePosition.ChangeLog(0));
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, start, sink)) {
                pair.source().execute(
                        "INSERT INTO orders VALUES (11, 1, 'café')",
                        "UPDATE orders SET note = 'x' WHERE id = 10",
                        "UPDATE orders SET id = 15 WHERE id = 11",
                        "UPDATE orders SET tenant_id = 2 WHERE id = 15",
                        "INSERT INTO order_items VALUES (101, 10, 2)",
                        "UPDATE order_items SET order_id = 20 WHERE id = 101",
                        "DELETE FROM order_items WHERE id = 101",
                        "INSERT INTO files VALUES (X'00FF10', 1)",
                        "INSERT INTO labels VALUES (1, '0000-00-00', 'café')",
                        "UPDATE labels SET name = 'naïve' WHERE tenant_id = 1",
                        "DELETE FROM labels WHERE tenant_id = 1");

                assertThat(sink.await(11, Duration.ofSeconds(20)).stream().map(TriggerCaptureIT::render)).containsExactly(
                        "orders INSERT key={id=11} before={} after={id=11, tenant_id=1}",
                        "orders UPDATE key={id=10} before={id=10, tenant_id=1} after={id=10, tenant_id=1}",
                        "orders UPDATE key={id=15} before={id=11, tenant_id=1} after={id=15, tenant_id=1}",
                        "orders UPDATE key={id=15} before={id=15, tenant_id=1} after={id=15, tenant_id=2}",
                        "order_items INSERT key={id=101} before={} after={id=101, order_id=10}",
                        "order_items UPDATE key={id=101} before={id=101, order_id=10} after={id=101, order_id=20}",
                        "order_items DELETE key={id=101} before={id=101, order_id=20} after={}",
                        "files INSERT key={k=0x00FF10} before={} after={k=0x00FF10, tenant_id=1}",
                        "labels INSERT key={tenant_id=1, day=0000-00-00, name=café} before={}"
                                + " after={tenant_id=1, day=0000-00-00, name=café}",
                        "labels UPDATE key={tenant_id=1, day=0000-00-00, name=naïve} before={tenant_id=1, day=0000-00-00,"
                                + " name=café} after={tenant_id=1, day=0000-00-00, name=naïve}",
                        "labels DELETE key={tenant_id=1, day=0000-00-00, name=naïve} before={tenant_id=1, day=0000-00-00,"
                                + " name=naïve} after={}");
                assertThat(sink.stops).isEmpty();
                assertThat(sink.transactions).allMatch(t -> !t.ownWrite());
                assertThat(sink.lastId()).isEqualTo(maxId(pair));
                assertThat(capture.currentPosition()).isEqualTo(new CapturePosition.ChangeLog(maxId(pair)));
                // Typed values, not only their text: a Long key, latin1 decoded, binary bytes kept.
                RowChange insert = sink.changes().get(0);
                assertThat(insert.key().get("id")).isEqualTo(11L);
                assertThat(sink.changes().get(7).key().get("k")).isEqualTo(new byte[] {0, (byte) 0xFF, 0x10});
            }
        }
    }

    @Test
    void ownWrites_markedBySessionVariable_areRecordedAsOwnTransactions(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink);
                 Connection own = pair.source().connect(); Connection app = pair.source().connect()) {
                try (Statement st = app.createStatement()) {
                    st.execute("UPDATE orders SET note = 'by app' WHERE id = 10");
                }
                WriteMarker.session(own);
                try (Statement st = own.createStatement()) {
                    st.execute("UPDATE orders SET note = 'by hikkoshi' WHERE id = 20");
                    st.execute("INSERT INTO orders VALUES (30, 2, 'hikkoshi')");
                }
                try (Statement st = app.createStatement()) {
                    st.execute("DELETE FROM order_items WHERE id = 100");
                }
                sink.await(4, Duration.ofSeconds(20));
            }
            // How a drain cuts batches depends on timing; what matters is each change's flag.
            List<String> flagged = sink.transactions.stream().flatMap(t -> t.changes().stream()
                    .map(c -> (t.ownWrite() ? "own " : "app ") + c.table() + " " + c.kind() + " " + c.key())).toList();
            assertThat(flagged).containsExactly("app orders UPDATE {id=10}", "own orders UPDATE {id=20}",
                    "own orders INSERT {id=30}", "app order_items DELETE {id=100}");
        }
    }

    @Test
    void drain_waitsForAnOpenTransactionsEarlierId_beforeDeliveringLaterCommittedOnes(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (Connection slow = pair.source().connect(); Connection fast = pair.source().connect()) {
                slow.setAutoCommit(false);
                try (Statement st = slow.createStatement()) {
                    st.execute("UPDATE orders SET note = 'slow' WHERE id = 10"); // takes change-log id 1, uncommitted
                }
                try (Statement st = fast.createStatement()) {
                    st.execute("UPDATE orders SET note = 'fast' WHERE id = 20"); // id 2, committed at once
                }
                try (ChangeCapture.Subscription s = capture.subscribe(ALL, new CapturePosition.ChangeLog(0), sink)) {
                    Thread.sleep(700);
                    assertThat(sink.transactions).as("nothing past an id still open").isEmpty();
                    slow.commit();
                    assertThat(sink.await(2, Duration.ofSeconds(20)).stream().map(c -> c.key().get("id")))
                            .containsExactly(10L, 20L);
                }
            }
        }
    }

    /**
     * A backlog is read in growing reads (100 rows, the fixture's batchRows, then doubled up to 8 times that), each
     * one transaction: every change arrives once, in id order, and the reads after the first are larger.
     */
    @Test
    void backlog_isReadInGrowingReads_eachChangeOnceInIdOrder(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink);
                 Connection app = pair.source().connect()) {
                app.setAutoCommit(false);
                try (Statement st = app.createStatement()) {
                    // 1,500 orders in one transaction: the drain sees none of them, then all at once.
                    st.execute("INSERT INTO orders (id, tenant_id, note) SELECT 1000 + seq, 1 + seq % 2, 'bulk'"
                            + " FROM seq_1_to_1500");
                    st.execute("UPDATE orders SET note = 'bulk, then changed' WHERE id > 2000");
                }
                app.commit();
                sink.await(2_000, Duration.ofSeconds(30));
            }
            List<ChangeTransaction> reads = nonEmpty(sink.transactions);
            assertThat(reads.stream().map(t -> t.changes().size())).containsExactly(100, 200, 400, 800, 500);
            List<Long> keys = sink.changes().stream().map(c -> (Long) c.key().get("id")).toList();
            List<Long> expected = new ArrayList<>();
            for (long id = 1001; id <= 2500; id++) {
                expected.add(id);
            }
            for (long id = 2001; id <= 2500; id++) {
                expected.add(id);
            }
            assertThat(keys).containsExactlyElementsOf(expected);
            assertThat(sink.lastId()).isEqualTo(maxId(pair));
            assertThat(sink.stops).isEmpty();
        }
    }

    /**
     * A sink that names a deciding column is asked about each change of that table with images holding that
     * column (NULL kept as a value, an absent image empty); what it ignores is never delivered, and the
     * transactions' positions still cover it.
     */
    @Test
    void changesTheSinkIgnores_byItsDecidingColumn_areLeftOut_andTheirPositionsCovered(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        pair.source().execute("ALTER TABLE files MODIFY tenant_id INT NULL");
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            CollectingSink sink = new CollectingSink() {
                @Override
                public java.util.Optional<String> decidingColumn(String table) {
                    return table.equals("orders") || table.equals("files") ? java.util.Optional.of("tenant_id")
                            : java.util.Optional.empty();
                }

                @Override
                public boolean ignores(String table, Map<String, Object> before, Map<String, Object> after) {
                    asked.add(table + " " + before + " " + after);
                    return !Long.valueOf(1).equals(before.get("tenant_id")) && !Long.valueOf(1).equals(after.get("tenant_id"));
                }
            };
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink)) {
                pair.source().execute(
                        "INSERT INTO orders VALUES (21, 2, 'other tenant')",
                        "UPDATE orders SET tenant_id = 1 WHERE id = 21",
                        "UPDATE orders SET note = 'still other' WHERE id = 20",
                        "INSERT INTO order_items VALUES (201, 20, 5)",
                        "INSERT INTO files VALUES (X'01', NULL)",
                        "DELETE FROM orders WHERE id = 20");
                long last = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline && (last = sink.lastId()) < 6) {
                    Thread.sleep(20);
                }
                assertThat(last).isEqualTo(maxId(pair));
            }
            assertThat(sink.changes().stream().map(c -> c.table() + " " + c.kind() + " " + c.key()))
                    .containsExactly("orders UPDATE {id=21}", "order_items INSERT {id=201}");
            assertThat(asked).containsExactly("orders {} {tenant_id=2}", "orders {tenant_id=2} {tenant_id=1}",
                    "orders {tenant_id=2} {tenant_id=2}", "files {} {tenant_id=null}", "orders {tenant_id=2} {}");
        }
    }

    /** Reading the position (a catch-up about to wait for it) makes an idle drain read at once, not at its next poll. */
    @Test
    void currentPosition_wakesAnIdleDrain_insteadOfLeavingItToItsPoll(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = new TriggerCapture(f.source, f.scope, dev.hikkoshi.data.copy.CharsetOverrides.NONE,
                new TriggerCapture.Options(100, 20_000, 300_000, true))) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink)) {
                Thread.sleep(1_500); // the drain's first read found nothing: it waits 20 s for its next poll
                pair.source().execute("UPDATE orders SET note = 'woken' WHERE id = 10");
                long asked = System.nanoTime();
                CapturePosition now = capture.currentPosition();
                long deadline = asked + Duration.ofSeconds(10).toNanos();
                while (sink.lastId() < ((CapturePosition.ChangeLog) now).lastId() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(sink.lastId()).isEqualTo(((CapturePosition.ChangeLog) now).lastId());
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Rows up to a checkpoint are purged and those after it kept; and once the drain has passed every row, the newest
     * still stays: a MySQL server before 8.0 sets a restarted InnoDB table's AUTO_INCREMENT to MAX(id) + 1, and ids
     * handed out again below the drains' positions would never be read.
     */
    @Test
    void checkpointedRows_arePurged_rowsAfterTheCheckpointKept_andTheNewestNeverGoes(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink)) {
                pair.source().execute("UPDATE orders SET note = 'a' WHERE id = 10", "UPDATE orders SET note = 'b' WHERE id = 20",
                        "UPDATE order_items SET qty = 3 WHERE id = 100");
                sink.await(3, Duration.ofSeconds(20));
                List<Long> before = ids(pair);
                long second = before.get(1);
                long newest = before.get(2);
                s.checkpointed(new CapturePosition.ChangeLog(second));
                // The drain notes what it purged after its DELETE commits: the rows can be gone a moment before.
                awaitPurgedThrough(capture, second);
                assertThat(ids(pair)).containsExactly(newest);
                assertThat(capture.purgedThrough()).isEqualTo(second);

                s.checkpointed(new CapturePosition.ChangeLog(newest));
                Thread.sleep(2_500); // the drain checks for a purge every second: it would have gone further if it could

                assertThat(ids(pair)).containsExactly(newest);
                assertThat(capture.purgedThrough()).isEqualTo(second);
            }
        }
    }

    /**
     * A burst after a long rest is drained while its stream applies it: no purge runs until the stream has caught up
     * (or has been behind for five seconds), so that its deletes do not compete on the source with the stream's
     * re-reads in a catch-up such as a freeze's final sync. The wait used to be counted from the last purge, which
     * on a source at rest was long before the burst, so the purge ran at once (within a poll). A stream that stays
     * behind still purges, five seconds on.
     */
    @Test
    void burstAfterRest_isNotPurgedWhileItsStreamCatchesUp_butOnceItHas_orAfterFiveSecondsBehind(SchemaPair pair)
            throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink)) {
                pair.source().execute("UPDATE orders SET note = 'rest' WHERE id = 10");
                assertThat(sink.await(1, Duration.ofSeconds(20))).hasSize(1);
                s.checkpointed(new CapturePosition.ChangeLog(maxId(pair)));
                Thread.sleep(6_000); // at rest for longer than a stream may stay behind before purging
                long purgedBefore = capture.purgedThrough();

                long burstAt = System.nanoTime();
                List<Long> burst = burst(pair, sink, 4);
                long applied = burst.get(burst.size() - 2);
                s.checkpointed(new CapturePosition.ChangeLog(applied)); // the stream applied all but the newest
                Thread.sleep(1_000); // the drain polls every 20 ms: the old timer purged within one poll

                assertThat(capture.purgedThrough()).as("purged while the stream was behind").isEqualTo(purgedBefore);
                assertThat(ids(pair)).containsExactlyElementsOf(burst);

                s.checkpointed(new CapturePosition.ChangeLog(burst.get(burst.size() - 1)));
                awaitPurgedThrough(capture, applied);
                assertThat(capture.purgedThrough()).isEqualTo(applied);
                assertThat(Duration.ofNanos(System.nanoTime() - burstAt)).as("purged once caught up, not five seconds on")
                        .isLessThan(Duration.ofMillis(4_500));

                long behindAt = System.nanoTime();
                List<Long> second = burst(pair, sink, 7);
                long secondApplied = second.get(second.size() - 2);
                s.checkpointed(new CapturePosition.ChangeLog(secondApplied)); // and never the newest
                awaitPurgedThrough(capture, secondApplied);

                assertThat(capture.purgedThrough()).isEqualTo(secondApplied);
                assertThat(Duration.ofNanos(System.nanoTime() - behindAt)).as("purged while behind, five seconds on")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(4_500));
            }
        }
    }

    /** Three row changes in two statements; returns the change log's ids once the sink holds {@code total} changes. */
    private static List<Long> burst(SchemaPair pair, CollectingSink sink, int total) throws Exception {
        pair.source().execute("UPDATE orders SET note = CONCAT(COALESCE(note, ''), '+') WHERE id IN (10, 20)",
                "UPDATE order_items SET qty = qty + 1 WHERE id = 100");
        assertThat(sink.await(total, Duration.ofSeconds(20))).hasSize(total);
        return ids(pair);
    }

    private static void awaitPurgedThrough(TriggerCapture capture, long id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (capture.purgedThrough() < id && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * A drain whose every row is acknowledged stops purging: with the newest row kept, the drains' lowest
     * acknowledgement stays above what was deleted, and a drain that compared the two purged (an UPDATE of each named
     * consumer, and two reads) every second on an idle legacy server.
     */
    @Test
    void idleDrain_thatPassedEveryRow_stopsPurging(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe("shop/acme:legacy->cloud", ALL, capture.currentPosition(),
                    sink)) {
                pair.source().execute("UPDATE orders SET note = 'a' WHERE id = 10", "UPDATE orders SET note = 'b' WHERE id = 20");
                sink.await(2, Duration.ofSeconds(20));
                s.checkpointed(new CapturePosition.ChangeLog(maxId(pair)));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (ids(pair).size() > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(1_500); // the purge that deleted them records what it did after its statements
                long before = consumerUpdates(pair);
                Thread.sleep(3_000);

                assertThat(consumerUpdates(pair) - before).as("UPDATEs on the idle source").isZero();
                assertThat(ids(pair)).hasSize(1);
            }
        }
    }

    /**
     * A named drain that closed and whose consumer was forgotten (a move's forward stream at its switch) holds no
     * purge back: in memory its position used to be kept until the capture closed, which a controller's never does.
     */
    @Test
    void closedAndForgottenConsumer_holdsNoPurgeBack(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CapturePosition start = capture.currentPosition();
            CollectingSink fast = new CollectingSink();
            CollectingSink gone = new CollectingSink();
            try (ChangeCapture.Subscription a = capture.subscribe("shop/acme:legacy->cloud", ALL, start, fast)) {
                ChangeCapture.Subscription b = capture.subscribe("shop/globex:legacy->cloud", ALL, start, gone);
                b.close();
                capture.forget("shop/globex:legacy->cloud");
                pair.source().execute("UPDATE orders SET note = 'a' WHERE id = 10", "UPDATE orders SET note = 'b' WHERE id = 20",
                        "UPDATE orders SET note = 'c' WHERE id = 10");
                fast.await(3, Duration.ofSeconds(20));
                a.checkpointed(new CapturePosition.ChangeLog(maxId(pair)));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (ids(pair).size() > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }

                assertThat(ids(pair)).hasSize(1);
            }
        }
    }

    /**
     * Closing the capture under a subscription that is still open tells its sink (a finalize removing the capture
     * under a stream that subscribed after it looked for consumers): the stream must not go quiet as if the source
     * had no changes. A subscription closed first hears nothing.
     */
    @Test
    void closingTheCapture_underAnOpenSubscription_stopsItsSink_andNotAClosedOnes(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        CollectingSink open = new CollectingSink();
        CollectingSink closed = new CollectingSink();
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            capture.subscribe("shop/acme:legacy->cloud", ALL, capture.currentPosition(), open);
            capture.subscribe("shop/globex:legacy->cloud", ALL, capture.currentPosition(), closed).close();
        }
        assertThat(open.stops).extracting(dev.hikkoshi.data.capture.CaptureStop::message).containsExactly(
                "the trigger capture of site legacy (sandbox " + pair.name() + ") was closed under this stream, which"
                        + " reads no more changes until it is started again");
        assertThat(closed.stops).isEmpty();
    }

    private static long consumerUpdates(SchemaPair pair) throws SQLException {
        return longs(pair.source(), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'COM_UPDATE'").get(0);
    }

    /**
     * Two captures of one change log stand for two processes (two moves run by separate commands): a consumer
     * far ahead in one never lets its capture purge rows that a consumer of the other still needs; once that
     * consumer is forgotten (its stream removed), they go.
     */
    @Test
    void purge_waitsForEveryNamedConsumer_inAnyProcess_untilItIsForgotten(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture ahead = f.capture(); TriggerCapture behind = f.capture()) {
            ahead.install();
            CapturePosition start = ahead.currentPosition();
            CollectingSink fast = new CollectingSink();
            CollectingSink slow = new CollectingSink();
            try (ChangeCapture.Subscription a = ahead.subscribe("shop/acme:legacy->cloud", ALL, start, fast);
                 ChangeCapture.Subscription b = behind.subscribe("shop/globex:legacy->cloud", ALL, start, slow)) {
                pair.source().execute("UPDATE orders SET note = 'a' WHERE id = 10", "UPDATE orders SET note = 'b' WHERE id = 20",
                        "UPDATE order_items SET qty = 3 WHERE id = 100");
                fast.await(3, Duration.ofSeconds(20));
                List<Long> before = ids(pair);
                a.checkpointed(new CapturePosition.ChangeLog(maxId(pair)));
                b.checkpointed(new CapturePosition.ChangeLog(before.get(0)));
                pair.source().execute("UPDATE orders SET note = 'c' WHERE id = 10"); // wakes the drains: they purge
                fast.await(4, Duration.ofSeconds(20));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (ids(pair).get(0) <= before.get(0) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(500); // further drains would purge more if they wrongly could

                assertThat(ids(pair)).containsExactlyElementsOf(concat(before.subList(1, before.size()), maxId(pair)));
                // Either capture may have done the purge; neither went past what the slower consumer acknowledged.
                assertThat(Math.max(ahead.purgedThrough(), behind.purgedThrough())).isEqualTo(before.get(0));

                behind.forget("shop/globex:legacy->cloud");
                b.close();
                pair.source().execute("UPDATE orders SET note = 'd' WHERE id = 10");
                fast.await(5, Duration.ofSeconds(20));
                a.checkpointed(new CapturePosition.ChangeLog(maxId(pair)));
                pair.source().execute("UPDATE orders SET note = 'e' WHERE id = 10");
                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (ids(pair).size() > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(ids(pair)).containsExactly(maxId(pair));
            }
        }
    }

    private static List<Long> concat(List<Long> head, long last) {
        List<Long> out = new java.util.ArrayList<>(head);
        out.add(last);
        return out;
    }

    @Test
    void existingTrigger_onAnEventTaken_isReportedWithTheOptions_andNothingInstalled(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        pair.source().execute("CREATE TABLE audit (n INT)",
                "CREATE TRIGGER audit_orders AFTER UPDATE ON orders FOR EACH ROW INSERT INTO audit VALUES (1)");
        try (TriggerCapture capture = f.capture()) {
            assertThatThrownBy(capture::install).isInstanceOfSatisfying(UserException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("cannot install hikkoshi's capture triggers on site legacy (sandbox "
                        + pair.name() + "): MySQL 5.0.96 allows one trigger per table, event and timing, and this one is"
                        + " taken: orders AFTER UPDATE (audit_orders)");
                assertThat(e.hint()).isEqualTo("choose one: set capture: differential for this site (no triggers needed);"
                        + " or turn that trigger into BEFORE triggers, or drop it while the move runs; or upgrade to MySQL"
                        + " 5.7.2 or MariaDB 10.2.3, where triggers of one event can coexist");
            });
            assertThat(capture.installer().installedTriggers()).isEmpty();
            assertThat(triggers(pair.source())).containsExactly("audit_orders");
        }
    }

    @Test
    void applicationTrigger_withTheNameACaptureTriggerNeeds_isRefused_andKept(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        pair.source().execute("CREATE TABLE audit (n INT)",
                "CREATE TRIGGER hk_ai_orders BEFORE INSERT ON orders FOR EACH ROW INSERT INTO audit VALUES (1)");
        try (TriggerCapture capture = f.capture()) {
            assertThatThrownBy(capture::install).isInstanceOfSatisfying(UserException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("cannot install hikkoshi's capture triggers on site legacy (sandbox "
                        + pair.name() + "): a trigger that is not hikkoshi's has the name its capture needs: hk_ai_orders"
                        + " (BEFORE INSERT on orders)");
                assertThat(e.hint()).isEqualTo("nothing was installed or dropped; re-create that trigger under another"
                        + " name (DROP TRIGGER, then CREATE TRIGGER with the same body), or set capture: differential for"
                        + " this site");
            });
            assertThat(capture.installer().installedTriggers()).isEmpty();
            assertThat(triggers(pair.source())).containsExactly("hk_ai_orders");
        }
    }

    @Test
    void uninstall_removesEveryTriggerAndTable_andIsIdempotent(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            capture.install(); // idempotent: the same triggers are kept
            pair.source().execute("UPDATE orders SET note = 'z' WHERE id = 10");
            assertThat(triggers(pair.source())).hasSize(15);
            assertThat(changeLogTables(pair)).containsExactly(new ChangeLogTable(pair.name()).name(),
                    new ChangeLogTable(pair.name()).consumersName());

            assertThat(capture.uninstall()).isEqualTo(17);
            assertThat(triggers(pair.source())).isEmpty();
            assertThat(changeLogTables(pair)).isEmpty();
            assertThat(capture.uninstall()).isZero();
            pair.source().execute("UPDATE orders SET note = 'after' WHERE id = 10"); // no trigger left to fail
        }
    }

    @Test
    void idleDrain_handsOutEmptyTransactionsStampedWithTheSourceClock_asItsHeartbeat(SchemaPair pair) throws Exception {
        TriggerFixture f = new TriggerFixture(pair);
        try (TriggerCapture capture = f.capture()) {
            capture.install();
            CollectingSink sink = new CollectingSink();
            try (ChangeCapture.Subscription s = capture.subscribe(ALL, capture.currentPosition(), sink)) {
                pair.source().execute("UPDATE orders SET note = 'beat' WHERE id = 10");
                sink.await(1, Duration.ofSeconds(20));
                java.time.Instant before = java.time.Instant.now().minusSeconds(2);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline && sink.transactions.stream()
                        .noneMatch(t -> t.changes().isEmpty() && t.committedAt().isAfter(before))) {
                    Thread.sleep(50);
                }
                ChangeTransaction beat = sink.transactions.get(sink.transactions.size() - 1);
                assertThat(beat.changes()).isEmpty();
                assertThat(beat.end()).isEqualTo(new CapturePosition.ChangeLog(maxId(pair)));
                assertThat(beat.committedAt()).isAfter(before);
            }
        }
    }

    static String render(RowChange c) {
        return c.table() + " " + c.kind() + " key=" + show(c.key()) + " before=" + show(c.before()) + " after=" + show(c.after());
    }

    private static String show(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] b
                ? "0x" + HexFormat.of().withUpperCase().formatHex(b) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static List<Long> ids(SchemaPair pair) throws SQLException {
        return longs(pair.source(), "SELECT id FROM " + new ChangeLogTable(pair.name()).qualifiedName() + " ORDER BY id");
    }

    static long maxId(SchemaPair pair) throws SQLException {
        List<Long> ids = ids(pair);
        return ids.get(ids.size() - 1);
    }

    static List<String> triggers(SandboxSchema schema) throws SQLException {
        return strings(schema, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '"
                + schema.name() + "' ORDER BY TRIGGER_NAME");
    }

    static List<String> changeLogTables(SchemaPair pair) throws SQLException {
        ChangeLogTable log = new ChangeLogTable(pair.name());
        return strings(pair.source(), "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'hikkoshi'"
                + " AND TABLE_NAME IN ('" + log.name() + "', '" + log.consumersName() + "') ORDER BY TABLE_NAME");
    }

    private static List<Long> longs(SandboxSchema schema, String sql) throws SQLException {
        return strings(schema, sql).stream().map(Long::valueOf).toList();
    }

    private static List<String> strings(SandboxSchema schema, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<ChangeTransaction> nonEmpty(List<ChangeTransaction> all) {
        return all.stream().filter(t -> !t.changes().isEmpty()).toList();
    }
}

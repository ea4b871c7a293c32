package dev.hikkoshi.data.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.KeySync;
import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mariadb.jdbc.MariaDbDataSource;

/** Differential capture between the legacy-like source and the target. */
@ExtendWith(FreshSchemaExtension.class)
@LegacyLikeSource
@Timeout(180)
class DifferentialCaptureIT {
    static final String TABLE = "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, note VARCHAR(40),"
            + " amount DECIMAL(10,2), KEY (tenant_id)) ENGINE=InnoDB";

    /** The same rows on both sides: tenant 1 owns ids 1..rows, tenant 2 ids 100001..100010. */
    static void load(SchemaPair pair, int rows) {
        for (SandboxSchema side : List.of(pair.source(), pair.target())) {
            side.execute(TABLE);
            StringBuilder insert = new StringBuilder("INSERT INTO orders VALUES ");
            for (int i = 1; i <= rows; i++) {
                insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", 1, 'note ").append(i).append("', ")
                        .append(i).append(".50)");
            }
            side.execute(insert.toString());
            side.execute("INSERT INTO orders SELECT id + 100000, 2, note, amount FROM orders WHERE id <= 10");
        }
    }

    record Wiring(Verifier verifier, TableToVerify orders, CopyEndpoint source, CopyEndpoint target) {
        DifferentialCapture capture(Duration interval) {
            return capture(new DifferentialCapture.Options(interval));
        }

        DifferentialCapture capture(DifferentialCapture.Options options) {
            return new DifferentialCapture(verifier, List.of(orders), options);
        }

        /** Stands in for the stream's key sync: re-copies the delivered keys of tenant 1 from the source. */
        void apply(ChangeTransaction t) {
            List<RowKey> keys = t.changes().stream().map(c -> RowKey.of(c.key().get("id"))).toList();
            new KeySync(source, target, new CopyTable(orders.source(), orders.target(), orders.key(), orders.rows()),
                    Optional.of("1"), CharsetOverrides.NONE).sync(keys, "test-differential");
        }
    }

    static Wiring wiring(SchemaPair pair) throws SQLException {
        MariaDbDataSource s = dataSource(pair.source());
        MariaDbDataSource t = dataSource(pair.target());
        SchemaInspector si = new SchemaInspector(s, "legacy");
        SchemaInspector ti = new SchemaInspector(t, "cloud");
        Table source = si.inspect(pair.name()).table("orders").orElseThrow();
        Table target = ti.inspect(pair.name()).table("orders").orElseThrow();
        TenantRows rows = (schema, alias) -> Optional.of("`" + alias + "`.`tenant_id` = ?");
        TableToVerify orders = new TableToVerify(source, target, source.rowKey().orElseThrow(), rows, Optional.of("1"),
                Map.of(), Map.of());
        Verifier verifier = new Verifier(new VerifySide(s, pair.name(), si.serverInfo(), "legacy"),
                new VerifySide(t, pair.name(), ti.serverInfo(), "cloud"), new Verifier.Options(500, 2));
        return new Wiring(verifier, orders, new CopyEndpoint(s, pair.name(), si.serverInfo(), "legacy"),
                new CopyEndpoint(t, pair.name(), ti.serverInfo(), "cloud"));
    }

    static MariaDbDataSource dataSource(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return ds;
    }

    @Test
    void pass_findsAChangedAMissingAndAnExtraRowOfTheTenant_andNoOtherTenantsRow(SchemaPair pair) throws Exception {
        load(pair, 2_000);
        pair.source().execute("UPDATE orders SET note = 'changed' WHERE id = 5", "UPDATE orders SET note = 'x' WHERE id = 100001");
        pair.target().execute("DELETE FROM orders WHERE id = 1500", "INSERT INTO orders VALUES (2500, 1, 'extra', 1.00)",
                "UPDATE orders SET note = 'y' WHERE id = 100002");
        Wiring w = wiring(pair);
        DifferentialCapture capture = w.capture(Duration.ofMillis(50));

        ChangeTransaction pass = capture.pass(Set.of("orders"));

        assertThat(pass.end()).isEqualTo(new CapturePosition.DifferentialPass(1, Optional.of(pass.committedAt())));
        assertThat(pass.changes()).extracting(RowChange::table, RowChange::kind, c -> c.key().get("id"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", ChangeKind.DIFFERS, 5L),
                        org.assertj.core.groups.Tuple.tuple("orders", ChangeKind.DIFFERS, 1500L),
                        org.assertj.core.groups.Tuple.tuple("orders", ChangeKind.DIFFERS, 2500L));
        PassReport report = capture.passes().get(0);
        assertThat(List.of((long) report.changed(), (long) report.missing(), (long) report.extra(), report.rowsCompared()))
                .containsExactly(1L, 1L, 1L, 2_000L);
        assertThat(report.describe()).startsWith("pass 1: 3 rows differ (1 changed, 1 missing, 1 extra) of 2,000 compared in ");

        w.apply(pass);
        assertThat(capture.pass(Set.of("orders")).changes()).isEmpty();
        assertThat(capture.currentPosition()).isEqualTo(new CapturePosition.DifferentialPass(2));
        assertThat(capture.fullPassEstimate()).isPresent();
    }

    /** The source's count of pages read from disk, which each pass is judged by ({@link PoolPressure}). */
    @Test
    void diskPageReads_areReadFromTheSourcesStatus(SchemaPair pair) throws Exception {
        load(pair, 2_000);
        VerifySide source = wiring(pair).verifier().source();

        DiskPageReads before = DiskPageReads.read(source).orElseThrow();
        wiring(pair).capture(Duration.ofMillis(50)).pass(Set.of("orders"));
        DiskPageReads after = DiskPageReads.read(source).orElseThrow();

        assertThat(before.pages()).isNotNegative();
        assertThat(after.pages()).isGreaterThanOrEqualTo(before.pages());
        assertThat(after.at()).isAfterOrEqualTo(before.at());
    }

    /** The final pass (inside the freeze) returns every row it found in its one transaction, however many. */
    @Test
    void pass_returnsAllItsRowsInOneTransaction_beyondTheHandOverSize(SchemaPair pair) throws Exception {
        load(pair, 2_000);
        pair.source().execute("UPDATE orders SET note = CONCAT(note, '!') WHERE tenant_id = 1 AND id % 2 = 0");
        Wiring w = wiring(pair);

        ChangeTransaction pass = w.capture(Duration.ofMillis(50)).pass(Set.of("orders"));

        assertThat(pass.changes()).hasSize(1_000).extracting(c -> (Long) c.key().get("id")).doesNotHaveDuplicates()
                .allMatch(id -> id % 2 == 0);
    }

    /**
     * A stream's pass hands its rows over as it finds them, so that they are repaired while later chunks are still
     * compared. Every hand-over keeps the previous pass's number and claims the earliest start among the previous
     * pass's chunks it has not compared again yet: later than the previous pass's start once it is past its first
     * chunks, never later than its own start, never going back. The pass's own transaction carries the rest, and no
     * row is delivered twice or lost (the next pass finds nothing).
     */
    @Test
    void streamPass_handsRowsOverBeforeItEnds_claimingWhatThePreviousPassComparedOfTheChunksStillAhead(SchemaPair pair)
            throws Exception {
        load(pair, 6_000);
        Wiring w = wiring(pair);
        List<ChangeTransaction> received = new CopyOnWriteArrayList<>();
        List<CaptureStop> stops = new CopyOnWriteArrayList<>();
        try (DifferentialCapture capture = w.capture(Duration.ofHours(1))) {
            StreamLikeSink stream = new StreamLikeSink(w, received, stops, t -> { });
            stream.subscribeTo(capture);
            awaitTransaction(received, stops, 1);
            // 1,200 rows in every 500-row chunk (about 100 each), while the capture idles for its hour.
            pair.source().execute("UPDATE orders SET note = CONCAT(note, '!') WHERE tenant_id = 1 AND id % 5 = 0");
            int before = received.size();

            capture.readAfterNow();
            awaitTransaction(received, stops, 3);

            assertThat(stops).isEmpty();
            ChangeTransaction first = received.get(before - 1);
            int secondEnds = received.indexOf(received.stream().filter(t -> isPassEnd(t, 2)).findFirst().orElseThrow());
            assertThat(received.get(secondEnds).end()).isEqualTo(new CapturePosition.DifferentialPass(2,
                    Optional.of(received.get(secondEnds).committedAt())));
            List<ChangeTransaction> second = received.subList(before, secondEnds + 1);
            List<ChangeTransaction> early = second.subList(0, second.size() - 1);
            java.time.Instant secondStart = second.get(second.size() - 1).committedAt();
            assertThat(early).as("hand-overs before pass 2 ended").isNotEmpty().allSatisfy(t -> {
                assertThat(((CapturePosition.DifferentialPass) t.end()).pass()).isEqualTo(1);
                assertThat(((CapturePosition.DifferentialPass) t.end()).coveredBefore())
                        .contains(t.committedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                assertThat(t.committedAt()).isAfterOrEqualTo(first.committedAt()).isBefore(secondStart);
            });
            assertThat(early).extracting(ChangeTransaction::committedAt).isSorted();
            assertThat(early.get(early.size() - 1).committedAt()).as("the last hand-over, past pass 1's first chunks")
                    .isAfter(first.committedAt());
            List<Long> keys = second.stream().flatMap(t -> t.changes().stream()).map(c -> (Long) c.key().get("id")).toList();
            assertThat(keys).doesNotHaveDuplicates().hasSize(1_200).allMatch(id -> id % 5 == 0);
            assertThat(capture.passes().get(1).differing()).isEqualTo(1_200);
            assertThat(capture.passes().get(2).differing()).as("pass 3, after the repairs").isZero();
        }
        assertThat(Sides.differences(w)).isZero();
    }

    /**
     * Whether {@code t} ends pass {@code pass}: the pass's own transaction is the first to carry its number (the
     * next pass's hand-overs carry it too) and claims its start.
     */
    private static boolean isPassEnd(ChangeTransaction t, long pass) {
        return t.end() instanceof CapturePosition.DifferentialPass p && p.pass() == pass;
    }

    private static void awaitTransaction(List<ChangeTransaction> received, List<CaptureStop> stops, long pass)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.stream().noneMatch(t -> isPassEnd(t, pass)) && System.nanoTime() < deadline && stops.isEmpty()) {
            Thread.sleep(20);
        }
    }

    /** One write of the writer: the key it changed and when. */
    record Write(int id, long atNanos) {
    }

    @Test
    void passes_whileAWriterChangesRows_deliverOnlyRecentlyChangedKeys_andConverge(SchemaPair pair) throws Exception {
        load(pair, 3_000);
        Wiring w = wiring(pair);
        List<Write> writes = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(pair.source(), writes, writing), "test-writer");
        // Per pass: when its transaction arrived and when its repair ended.
        List<long[]> times = new CopyOnWriteArrayList<>();
        List<Set<Integer>> delivered = new CopyOnWriteArrayList<>();
        List<CaptureStop> stops = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (DifferentialCapture capture = w.capture(Duration.ofMillis(150))) {
            ChangeSink sink = new ChangeSink() {
                @Override
                public void accept(ChangeTransaction t) {
                    long arrived = System.nanoTime();
                    Set<Integer> keys = new HashSet<>();
                    t.changes().forEach(c -> keys.add(((Long) c.key().get("id")).intValue()));
                    w.apply(t);
                    delivered.add(keys);
                    times.add(new long[] {arrived, System.nanoTime()});
                }

                @Override
                public void stopped(CaptureStop reason) {
                    stops.add(reason);
                }
            };
            writer.start();
            try (ChangeCapture.Subscription s = capture.subscribe(Set.of("orders"), new CapturePosition.DifferentialPass(0), sink)) {
                awaitPasses(delivered, stops, 5);
                writing.set(false);
                writer.join(10_000);
                int quietFrom = delivered.size() + 1; // the first pass that starts after the writer stopped, at the latest
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((delivered.size() <= quietFrom || !delivered.get(delivered.size() - 1).isEmpty())
                        && System.nanoTime() < deadline && stops.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(stops).isEmpty();
            assertThat(delivered.get(delivered.size() - 1)).as("the last pass after the writer stopped").isEmpty();
            assertThat(writes).hasSizeGreaterThan(50);
            List<PassReport> reports = capture.passes();
            for (int n = 0; n < delivered.size(); n++) {
                long from = n < 2 ? started : times.get(n - 2)[1];
                long to = times.get(n)[0];
                Set<Integer> changed = new HashSet<>();
                writes.stream().filter(x -> x.atNanos() >= from && x.atNanos() <= to).forEach(x -> changed.add(x.id()));
                assertThat(reports.get(n).differing()).as("pass %d counter", n + 1).isEqualTo(delivered.get(n).size());
                assertThat(delivered.get(n)).as("pass %d delivers only rows the writer changed since pass %d began", n + 1, n - 1)
                        .isSubsetOf(changed);
                assertThat(delivered.get(n).size()).as("pass %d", n + 1).isLessThanOrEqualTo(3 * changed.size());
            }
        } finally {
            writing.set(false);
            writer.join(10_000);
        }
        assertThat(Sides.differences(w)).isZero();
    }

    /**
     * A caught-up wait that begins while a stream's pass runs (as the final sync's does when the freeze starts) is
     * answered about one pass later: the next pass hands over the first claim past the wait's instant at once, rows
     * or not, before it ends. The wait here begins at the first hand-over of pass 2 (rows of its first chunk), when
     * the other worker has compared only a few of its 24 chunks: the claim needs some of pass 2's chunks to have
     * begun after the wait.
     */
    @Test
    void aCaughtUpWaitBegunDuringAPass_isAnsweredByAClaimBeforeTheNextPassEnds(SchemaPair pair) throws Exception {
        load(pair, 12_000);
        Wiring w = wiring(pair);
        List<ChangeTransaction> received = new CopyOnWriteArrayList<>();
        List<CaptureStop> stops = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> waitBegan = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<DifferentialCapture> running = new java.util.concurrent.atomic.AtomicReference<>();
        try (DifferentialCapture capture = w.capture(new DifferentialCapture.Options(Duration.ofHours(1))
                .handingOverEvery(Duration.ZERO))) {
            running.set(capture);
            StreamLikeSink stream = new StreamLikeSink(w, received, stops, t -> {
                boolean handOverOfPass2 = ((CapturePosition.DifferentialPass) t.end()).pass() == 1 && !t.changes().isEmpty();
                if (handOverOfPass2 && waitBegan.get() == null) {
                    waitBegan.set(running.get().readAfterNow().orElseThrow());
                }
            }, t -> { });
            stream.subscribeTo(capture);
            awaitTransaction(received, stops, 1);
            pair.source().execute("UPDATE orders SET note = CONCAT(note, '!') WHERE tenant_id = 1 AND id <= 100");

            capture.readAfterNow();
            awaitTransaction(received, stops, 3);

            assertThat(stops).isEmpty();
            assertThat(waitBegan.get()).as("the wait began at a hand-over of pass 2").isNotNull();
            ChangeTransaction answer = received.stream().filter(t -> t.committedAt().isAfter(waitBegan.get()))
                    .findFirst().orElseThrow();
            assertThat(((CapturePosition.DifferentialPass) answer.end()).pass())
                    .as("the first claim past the wait: handed over during pass 3 (carrying pass 2's number), not pass 3's end")
                    .isEqualTo(2);
            assertThat(answer.changes()).isEmpty();
        }
        assertThat(Sides.differences(w)).isZero();
    }

    /** One committed write of {@link #claims_neverRunAheadOfTheTarget}: the row, the version it set, and when its commit returned. */
    record Versioned(int id, long version, java.time.Instant committedBy) {
    }

    /**
     * The claims of a stream's passes never run ahead of the target: while a writer keeps updating rows, every
     * transaction the capture delivers is applied and then, for each write whose commit returned before the
     * transaction's claim, the target's row must hold that write's version or a later one. Claims must also move
     * inside passes: some hand-over claims more than the start of the pass before the one handing it over.
     */
    @Test
    void claims_neverRunAheadOfTheTarget_whileAWriterUpdatesRows(SchemaPair pair) throws Exception {
        load(pair, 6_000);
        Wiring w = wiring(pair);
        List<Versioned> writes = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        List<ChangeTransaction> received = new CopyOnWriteArrayList<>();
        List<CaptureStop> stops = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            Random random = new Random(7);
            long version = 1_000_000; // above every loaded amount
            try (Connection c = pair.source().connect(); Statement s = c.createStatement()) {
                while (writing.get()) {
                    // Bursts of 40 updates, then a short rest: passes that find rows, and passes after them.
                    for (int i = 0; i < 40 && writing.get(); i++) {
                        int id = 1 + random.nextInt(6_000);
                        s.execute("UPDATE orders SET amount = " + version + " WHERE id = " + id);
                        writes.add(new Versioned(id, version++, java.time.Instant.now()));
                    }
                    Thread.sleep(random.nextInt(300));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-versioned-writer");
        // Rows handed over after every chunk: each carries the claim of the chunks compared so far.
        try (DifferentialCapture capture = w.capture(new DifferentialCapture.Options(Duration.ofMillis(100))
                .handingOverEvery(Duration.ZERO))) {
            StreamLikeSink stream = new StreamLikeSink(w, received, stops, t -> {
                Map<Integer, Long> target = targetVersions(pair.target());
                for (Versioned v : writes) {
                    if (v.committedBy().isBefore(t.committedAt()) && target.getOrDefault(v.id(), 0L) < v.version()) {
                        violations.add(t.end().text() + " claims " + t.committedAt() + " but row " + v.id()
                                + " lacks version " + v.version() + " committed by " + v.committedBy());
                    }
                }
            });
            writer.start();
            stream.subscribeTo(capture);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (capture.passes().size() < 12 && System.nanoTime() < deadline && stops.isEmpty()) {
                Thread.sleep(50);
            }
            writing.set(false);
            writer.join(10_000);
            assertThat(stops).isEmpty();
            assertThat(capture.passes()).hasSizeGreaterThanOrEqualTo(12);
        } finally {
            writing.set(false);
            writer.join(10_000);
        }
        assertThat(violations).isEmpty();
        assertThat(writes).hasSizeGreaterThan(100);
        // Hand-overs of pass n + 1 carry pass n's number; without the rolling claim they claimed pass n's start.
        java.time.Instant lastPassStart = null;
        boolean moved = false;
        long lastPass = 0;
        for (ChangeTransaction t : received) {
            long n = ((CapturePosition.DifferentialPass) t.end()).pass();
            if (n > lastPass) {
                lastPassStart = t.committedAt();
                lastPass = n;
            } else if (t.committedAt().isAfter(lastPassStart)) {
                moved = true;
            }
        }
        assertThat(moved).as("some hand-over claimed more than the start of the last completed pass").isTrue();
    }

    /**
     * A verification run on the previous one's chunks: the rows appended above the last chunk are walked into chunks
     * of the configured size, shrunk neighbours merge on the following run, and the chunks always tile the key space
     * (open at both ends, each starting where the one before ended) and find exactly the rows that differ.
     */
    @Test
    void plannedVerification_splitsGrownChunksAndMergesShrunkOnes_alongTheKeys(SchemaPair pair) throws Exception {
        load(pair, 3_000);
        Wiring w = wiring(pair);
        List<dev.hikkoshi.data.verify.ComparedChunk> first = new ArrayList<>();
        w.verifier().verify(List.of(w.orders()), dev.hikkoshi.data.verify.ChunkPlan.walk(), first::add);
        pair.source().execute("DELETE FROM orders WHERE id <= 450 OR id BETWEEN 501 AND 950");
        pair.target().execute("DELETE FROM orders WHERE id <= 450 OR id BETWEEN 501 AND 950");
        pair.source().execute("INSERT INTO orders SELECT id + 3000, 1, note, amount FROM orders WHERE id BETWEEN 1001 AND 2500");

        List<dev.hikkoshi.data.verify.ComparedChunk> second = new ArrayList<>();
        var report = w.verifier().verify(List.of(w.orders()), dev.hikkoshi.data.verify.ChunkPlan.after(first, 500), second::add);
        List<dev.hikkoshi.data.verify.ComparedChunk> third = new ArrayList<>();
        w.verifier().verify(List.of(w.orders()), dev.hikkoshi.data.verify.ChunkPlan.after(second, 500), third::add);

        assertThat(report.differences()).hasSize(1_500).allSatisfy(d -> {
            assertThat(d.kind()).isEqualTo(dev.hikkoshi.data.verify.RowDifference.Kind.MISSING);
            assertThat(Integer.parseInt(d.key().values().get(0))).isBetween(4_001, 5_500);
        });
        for (List<dev.hikkoshi.data.verify.ComparedChunk> pass : List.of(second, third)) {
            assertThat(pass.get(0).range().lower()).isEmpty();
            assertThat(pass.get(pass.size() - 1).range().upper()).isEmpty();
            for (int i = 1; i < pass.size(); i++) {
                assertThat(pass.get(i).range().lower()).isEqualTo(pass.get(i - 1).range().upper());
            }
            assertThat(pass).allSatisfy(c -> assertThat(c.planned()).isNotNegative());
            assertThat(pass.stream().mapToLong(dev.hikkoshi.data.verify.ComparedChunk::sourceRows).sum()).isEqualTo(3_600);
            assertThat(pass).allSatisfy(c -> assertThat(c.sourceRows()).isLessThanOrEqualTo(500));
        }
        assertThat(second).as("the 1,500 appended rows walked into chunks of 500").hasSizeGreaterThanOrEqualTo(first.size() + 3);
        assertThat(third).as("the two chunks of 50 rows merged").hasSize(second.size() - 1);
        assertThat(third.get(0).sourceRows()).isEqualTo(100);
    }

    /**
     * Stands in for a stream: applies each transaction (the key sync), records it, runs {@code afterApply}, then
     * reports the checkpoint to the subscription, as a stream does once its target committed.
     */
    private static final class StreamLikeSink implements ChangeSink {
        private final Wiring w;
        private final List<ChangeTransaction> received;
        private final List<CaptureStop> stops;
        private final java.util.function.Consumer<ChangeTransaction> beforeApply;
        private final java.util.function.Consumer<ChangeTransaction> afterApply;
        private volatile ChangeCapture.Subscription subscription;

        StreamLikeSink(Wiring w, List<ChangeTransaction> received, List<CaptureStop> stops,
                       java.util.function.Consumer<ChangeTransaction> afterApply) {
            this(w, received, stops, t -> { }, afterApply);
        }

        StreamLikeSink(Wiring w, List<ChangeTransaction> received, List<CaptureStop> stops,
                       java.util.function.Consumer<ChangeTransaction> beforeApply,
                       java.util.function.Consumer<ChangeTransaction> afterApply) {
            this.w = w;
            this.received = received;
            this.stops = stops;
            this.beforeApply = beforeApply;
            this.afterApply = afterApply;
        }

        void subscribeTo(DifferentialCapture capture) {
            subscription = capture.subscribe(Set.of("orders"), new CapturePosition.DifferentialPass(0), this);
        }

        @Override
        public void accept(ChangeTransaction t) {
            beforeApply.accept(t);
            w.apply(t);
            received.add(t);
            afterApply.accept(t);
            while (subscription == null) { // the capture's thread may deliver before subscribe() has returned
                Thread.onSpinWait();
            }
            subscription.checkpointed(t.end());
        }

        @Override
        public void stopped(CaptureStop reason) {
            stops.add(reason);
        }

        @Override
        public boolean reportsCheckpoints() {
            return true;
        }
    }

    private static Map<Integer, Long> targetVersions(SandboxSchema target) {
        Map<Integer, Long> out = new java.util.HashMap<>();
        try (Connection c = target.connect(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT id, amount FROM orders WHERE tenant_id = 1")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getBigDecimal(2).longValue());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void awaitPasses(List<Set<Integer>> delivered, List<CaptureStop> stops, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delivered.size() < n && System.nanoTime() < deadline && stops.isEmpty()) {
            Thread.sleep(20);
        }
    }

    /** Updates, inserts and deletes tenant 1's rows about every 10 ms, logging each key it touched before the commit. */
    private static void write(SandboxSchema source, List<Write> writes, AtomicBoolean writing) {
        Random random = new Random(42);
        int nextId = 5_000;
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            while (writing.get()) {
                int op = random.nextInt(10);
                int id;
                String sql;
                if (op < 7) {
                    id = 1 + random.nextInt(3_000);
                    sql = "UPDATE orders SET note = 'w" + random.nextInt(1_000_000) + "' WHERE id = " + id;
                } else if (op < 9) {
                    id = nextId++;
                    sql = "INSERT INTO orders VALUES (" + id + ", 1, 'new', 9.99)";
                } else {
                    id = 1 + random.nextInt(3_000);
                    sql = "DELETE FROM orders WHERE id = " + id;
                }
                writes.add(new Write(id, System.nanoTime()));
                s.execute(sql);
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An independent check at the end: the verifier's own full comparison. */
    static final class Sides {
        static int differences(Wiring w) {
            return w.verifier().verify(List.of(w.orders())).differences().size();
        }
    }
}

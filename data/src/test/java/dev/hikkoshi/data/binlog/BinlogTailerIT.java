package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.SandboxConfig;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class BinlogTailerIT {
    static SiteDatabase source(SchemaPair pair) {
        DataConfig config = SandboxConfig.bind(pair, ", server-id: 77001", "data: { tenant-column: tenant_id }\n");
        return SiteDatabase.open(SandboxConfig.sites(config).source(), 4);
    }

    static BinlogTailer tailer(SiteDatabase db) {
        return BinlogTailer.open(db, db.inspector().inspect(db.schema()));
    }

    static final String TYPES = "CREATE TABLE types (id INT NOT NULL PRIMARY KEY, tenant_id INT UNSIGNED NOT NULL,"
            + " d DATE NULL, dt DATETIME NULL, dt6 DATETIME(6) NULL, ts TIMESTAMP(6) NULL DEFAULT NULL, t TIME(3) NULL,"
            + " y YEAR NULL, dec1 DECIMAL(12,4) NULL, f FLOAT NULL, g DOUBLE NULL, b BIT(10) NULL, bin BINARY(4) NULL,"
            + " vb VARBINARY(8) NULL, bl BLOB NULL, j JSON NULL, e ENUM('a','b','c') NULL, st SET('x','y','z') NULL,"
            + " l1 VARCHAR(20) CHARACTER SET latin1 NULL, u VARCHAR(20) CHARACTER SET utf8mb4 NULL,"
            + " sj VARCHAR(20) CHARACTER SET cp932 NULL, tx TEXT CHARACTER SET utf8mb4 NULL, big BIGINT UNSIGNED NULL,"
            + " gen INT AS (id * 2) VIRTUAL) ENGINE=InnoDB";

    @Test
    void everyEventKind_decodesEachTypeToItsValue(SchemaPair pair) throws Exception {
        pair.source().execute(TYPES);
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sink = new RecordingSink();
            ChangeCapture.Subscription sub = tailer.subscribe(Set.of("types"), tailer.currentPosition(), sink);
            pair.source().execute("SET sql_mode = ''", "SET time_zone = '+09:00'",
                    "INSERT INTO types (id, tenant_id, d, dt, dt6, ts, t, y, dec1, f, g, b, bin, vb, bl, j, e, st, l1, u, sj, tx, big)"
                            + " VALUES (1, 4294967295, '0000-00-00', '0000-00-00 00:00:00', '2024-00-15 10:11:12.000001',"
                            + " '2024-01-01 09:00:00.123456', '-838:59:58.5', 0, -12345678.9012, 1.5, -2.25e300, b'1000000001',"
                            + " X'DE00', X'00FF', X'0001FEFF', '{\"a\": [1, \"日本\"]}', 'c', 'x,z', 'caf\u00e9', '寿司🍣',"
                            + " '日本語', 'long 🍣 text', 18446744073709551615)",
                    "INSERT INTO types (id, tenant_id) VALUES (2, 7)",
                    "UPDATE types SET e = 'a', st = '', d = '2024-02-29', y = 2024, dt6 = '9999-12-31 23:59:59.999999' WHERE id = 2",
                    "DELETE FROM types WHERE id = 1");

            List<ChangeTransaction> txs = sink.next(4);
            RowChange insert = txs.get(0).changes().get(0);
            assertThat(insert.kind()).isEqualTo(ChangeKind.INSERT);
            assertThat(insert.table()).isEqualTo("types");
            assertThat(insert.key()).isEqualTo(Map.of("id", 1L));
            assertThat(insert.before()).isEmpty();
            Map<String, Object> row = new LinkedHashMap<>(insert.after());
            assertThat(HexFormat.of().formatHex((byte[]) row.remove("b"))).isEqualTo("0201");
            assertThat(HexFormat.of().formatHex((byte[]) row.remove("bin"))).isEqualTo("de000000");
            assertThat(HexFormat.of().formatHex((byte[]) row.remove("vb"))).isEqualTo("00ff");
            assertThat(HexFormat.of().formatHex((byte[]) row.remove("bl"))).isEqualTo("0001feff");
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("id", 1L);
            expected.put("tenant_id", 4294967295L);
            expected.put("d", "0000-00-00");
            expected.put("dt", "0000-00-00 00:00:00");
            expected.put("dt6", "2024-00-15 10:11:12.000001");
            expected.put("ts", "2024-01-01 00:00:00.123456");
            expected.put("t", "-838:59:58.500");
            expected.put("y", 0L);
            expected.put("dec1", new BigDecimal("-12345678.9012"));
            expected.put("f", 1.5f);
            expected.put("g", -2.25e300);
            expected.put("j", "{\"a\": [1, \"日本\"]}");
            expected.put("e", "c");
            expected.put("st", "x,z");
            expected.put("l1", "café");
            expected.put("u", "寿司🍣");
            expected.put("sj", "日本語");
            expected.put("tx", "long 🍣 text");
            expected.put("big", new BigInteger("18446744073709551615"));
            expected.put("gen", 2L); // MariaDB logs virtual columns' values in the row image
            assertThat(row).containsExactlyInAnyOrderEntriesOf(expected);

            RowChange update = txs.get(2).changes().get(0);
            assertThat(update.kind()).isEqualTo(ChangeKind.UPDATE);
            assertThat(update.before()).containsEntry("e", null).containsEntry("d", null).containsEntry("tenant_id", 7L);
            assertThat(update.after()).containsEntry("e", "a").containsEntry("st", "").containsEntry("d", "2024-02-29")
                    .containsEntry("y", 2024L).containsEntry("dt6", "9999-12-31 23:59:59.999999");
            RowChange delete = txs.get(3).changes().get(0);
            assertThat(delete.kind()).isEqualTo(ChangeKind.DELETE);
            assertThat(delete.key()).isEqualTo(Map.of("id", 1L));
            assertThat(delete.after()).isEmpty();
            assertThat(delete.before()).containsEntry("d", "0000-00-00").containsEntry("u", "寿司🍣");
            assertThat(txs).allSatisfy(t -> assertThat(t.ownWrite()).isFalse());
            sub.close();
        }
    }

    @Test
    void multiStatementTransactions_areDeliveredWholeInCommitOrder_withOwnWritesMarked(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB",
                "CREATE TABLE b (k1 INT, k2 VARCHAR(5), v INT, PRIMARY KEY (k1, k2)) ENGINE=InnoDB");
        try (Connection c = pair.source().connect()) {
            dev.hikkoshi.data.capture.WriteMarker.install(c); // the marker table's one shape, shared by the server
        }
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db);
             Connection one = pair.source().connect(); Connection two = pair.source().connect()) {
            RecordingSink sink = new RecordingSink();
            tailer.subscribe(Set.of("a", "b"), tailer.currentFilePosition(), sink);
            Statement s1 = one.createStatement();
            Statement s2 = two.createStatement();
            s1.execute("BEGIN");
            s1.execute("INSERT INTO a VALUES (1, 'x'), (2, 'y')");
            s2.execute("BEGIN");
            s2.execute("INSERT INTO a VALUES (10, 'second')");
            s1.execute("INSERT INTO b VALUES (1, 'k', 5)");
            s1.execute("UPDATE a SET v = 'z' WHERE id = 1");
            s2.execute("COMMIT"); // commits first although it began later
            s1.execute("DELETE FROM b WHERE k1 = 1");
            s1.execute("COMMIT");
            s1.execute("BEGIN");
            s1.execute("UPDATE a SET v = 'mine' WHERE id = 2");
            dev.hikkoshi.data.capture.WriteMarker.mark(one, "binlog-tailer-it");
            s1.execute("COMMIT");

            List<ChangeTransaction> txs = sink.next(3);
            assertThat(txs.get(0).changes()).extracting(RowChange::table, RowChange::kind, RowChange::key).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", ChangeKind.INSERT, Map.of("id", 10L)));
            assertThat(txs.get(1).changes()).extracting(RowChange::table, RowChange::kind, c -> c.key().toString()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", ChangeKind.INSERT, "{id=1}"),
                    org.assertj.core.groups.Tuple.tuple("a", ChangeKind.INSERT, "{id=2}"),
                    org.assertj.core.groups.Tuple.tuple("b", ChangeKind.INSERT, "{k1=1, k2=k}"),
                    org.assertj.core.groups.Tuple.tuple("a", ChangeKind.UPDATE, "{id=1}"),
                    org.assertj.core.groups.Tuple.tuple("b", ChangeKind.DELETE, "{k1=1, k2=k}"));
            assertThat(txs.get(1).changes().get(3).before()).containsEntry("v", "x");
            assertThat(txs.get(1).changes().get(3).after()).containsEntry("v", "z");
            assertThat(txs.get(0).ownWrite()).isFalse();
            assertThat(txs.get(1).ownWrite()).isFalse();
            assertThat(txs.get(2).ownWrite()).isTrue();
            assertThat(txs.get(2).changes()).extracting(RowChange::table).containsExactly("a");
            CapturePosition.BinlogFile first = (CapturePosition.BinlogFile) txs.get(0).end();
            CapturePosition.BinlogFile last = (CapturePosition.BinlogFile) txs.get(2).end();
            assertThat(FileOrder.ORDER.compare(first, last)).isNegative();
            assertThat(last).isEqualTo(tailer.currentFilePosition());
        }
    }

    @Test
    void twoSubscriptions_differentTablesAndPositions_shareOneConnection(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE b (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sinkA = new RecordingSink();
            RecordingSink sinkB = new RecordingSink();
            CapturePosition gtidStart = tailer.currentPosition();
            assertThat(gtidStart).isInstanceOf(CapturePosition.Gtid.class);
            tailer.subscribe(Set.of("a"), gtidStart, sinkA);
            pair.source().execute("INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (1)");
            assertThat(sinkA.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 1L));
            CapturePosition.BinlogFile middle = tailer.currentFilePosition();
            pair.source().execute("INSERT INTO a VALUES (2)", "INSERT INTO b VALUES (2)");
            assertThat(sinkA.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 2L));

            // B starts at a file position behind the tailer: the tailer reconnects from there, A gets nothing twice.
            tailer.subscribe(Set.of("b"), middle, sinkB);
            assertThat(sinkB.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 2L));
            pair.source().execute("INSERT INTO a VALUES (3)", "INSERT INTO b VALUES (3)");
            assertThat(sinkB.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 3L));
            List<ChangeTransaction> a = sinkA.next(1);
            assertThat(a.get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 3L));
            assertThat(a.get(0).end()).isInstanceOf(CapturePosition.Gtid.class);
            assertThat(sinkA.received.stream().filter(t -> !t.changes().isEmpty())).isEmpty();
            assertThat(binlogDumpThreads(pair)).isEqualTo(1);
        }
    }

    @Test
    void subscriptionBehindAnIdleTailer_getsWhatLiesBetween_byGtidAndByFile(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE b (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            CapturePosition olderGtid = tailer.currentPosition();
            CapturePosition.BinlogFile olderFile = tailer.currentFilePosition();
            pair.source().execute("INSERT INTO b VALUES (1)", "INSERT INTO b VALUES (2)");

            // A starts at the current end; the tailer connects there and stays idle (no transaction ends).
            RecordingSink sinkA = new RecordingSink();
            tailer.subscribe(Set.of("a"), tailer.currentPosition(), sinkA);
            awaitDumpThreads(pair, 1);

            // As after a controller restart: streams resume from older checkpoints, behind the idle connection.
            RecordingSink byGtid = new RecordingSink();
            tailer.subscribe(Set.of("b"), olderGtid, byGtid);
            assertThat(byGtid.next(2)).extracting(t -> t.changes().get(0).key())
                    .containsExactly(Map.of("id", 1L), Map.of("id", 2L));
            RecordingSink byFile = new RecordingSink();
            tailer.subscribe(Set.of("b"), olderFile, byFile);
            assertThat(byFile.next(2)).extracting(t -> t.changes().get(0).key())
                    .containsExactly(Map.of("id", 1L), Map.of("id", 2L));

            pair.source().execute("INSERT INTO a VALUES (1)");
            assertThat(sinkA.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 1L));
            assertThat(sinkA.received.stream().filter(t -> !t.changes().isEmpty())).isEmpty();
        }
    }

    @Test
    void subscriptionToAnotherTable_joiningWhileATransactionIsRead_getsTheWholeTransaction(SchemaPair pair)
            throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE b (id INT PRIMARY KEY, pad MEDIUMTEXT NOT NULL) ENGINE=InnoDB");
        int rows = 3_000;
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sinkA = new RecordingSink();
            tailer.subscribe(Set.of("a"), tailer.currentPosition(), sinkA);
            pair.source().execute("INSERT INTO a VALUES (1)");
            sinkA.next(1); // the tailer has read up to here
            CapturePosition beforeBig = tailer.currentPosition();
            // One transaction of 3,000 row events (30 MB) that only the next subscriber reads: the tailer passes
            // over its rows while it reads them, and the subscription arrives while it does.
            try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (int i = 1; i <= rows; i++) {
                    st.addBatch("INSERT INTO b VALUES (" + i + ", REPEAT('x', 10000))");
                }
                st.executeBatch();
                c.commit();
            }
            RecordingSink sinkB = new RecordingSink();
            tailer.subscribe(Set.of("b"), beforeBig, sinkB);

            List<RowChange> big = sinkB.next(1).get(0).changes();
            assertThat(big.size()).as("rows of the transaction the subscription joined").isEqualTo(rows);
            assertThat(big.get(0).key()).isEqualTo(Map.of("id", 1L));
        }
    }

    static void awaitDumpThreads(SchemaPair pair, int expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (binlogDumpThreads(pair) != expected) {
            assertThat(System.nanoTime()).as("binlog dump threads reach %d", expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static int binlogDumpThreads(SchemaPair pair) throws Exception {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void ddlOnAnInScopeTable_stopsItsSubscribers_andOnlyThem(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE b (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sinkA = new RecordingSink();
            RecordingSink sinkB = new RecordingSink();
            CapturePosition start = tailer.currentPosition();
            tailer.subscribe(Set.of("a"), start, sinkA);
            tailer.subscribe(Set.of("b"), start, sinkB);
            CapturePosition.BinlogFile before = tailer.currentFilePosition();
            pair.source().execute("ALTER TABLE `a` ADD COLUMN note VARCHAR(10)", "INSERT INTO b VALUES (1)");

            CaptureStop stop = sinkA.awaitStop();
            assertThat(stop.message()).isEqualTo("table " + pair.name() + ".a was altered at " + before.file() + ":"
                    + ((CaptureStop.SchemaChanged) stop).at().text().replaceFirst(".*:", "")
                    + " (ALTER TABLE `a` ADD COLUMN note VARCHAR(10)): apply the same change on both sites, then run"
                    + " 'hikkoshi data resume'");
            assertThat(((CapturePosition.BinlogFile) ((CaptureStop.SchemaChanged) stop).at()).position())
                    .isGreaterThanOrEqualTo(before.position());
            assertThat(sinkB.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 1L));
            assertThat(sinkB.stop).isNotDone();
        }
    }

    @Test
    void triggerCreatedAndDroppedOnAnInScopeTable_doesNotStopTheStream_andWhatItWritesArrives(SchemaPair pair)
            throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE audit (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sink = new RecordingSink();
            tailer.subscribe(Set.of("a", "audit"), tailer.currentPosition(), sink);
            pair.source().execute("CREATE TRIGGER a_ai AFTER INSERT ON a FOR EACH ROW INSERT INTO audit VALUES (NEW.id)",
                    "INSERT INTO a VALUES (1)", "DROP TRIGGER a_ai", "INSERT INTO a VALUES (2)");

            List<ChangeTransaction> txs = sink.next(2);
            assertThat(txs.get(0).changes()).extracting(RowChange::table, RowChange::key).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", Map.of("id", 1L)),
                    org.assertj.core.groups.Tuple.tuple("audit", Map.of("id", 1L)));
            assertThat(txs.get(1).changes()).extracting(RowChange::table, RowChange::key).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", Map.of("id", 2L)));
            assertThat(sink.stop).isNotDone();
        }
    }

    @Test
    void statementFormatChange_ofAnInScopeTable_stopsTheStream(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sink = new RecordingSink();
            tailer.subscribe(Set.of("a"), tailer.currentPosition(), sink);
            pair.source().execute("SET SESSION binlog_format = 'STATEMENT'", "INSERT INTO a VALUES (7)");

            CaptureStop stop = sink.awaitStop();
            assertThat(stop).isInstanceOf(CaptureStop.UnsupportedEvent.class);
            assertThat(stop.message()).isEqualTo("unsupported binlog event at "
                    + ((CaptureStop.UnsupportedEvent) stop).at().text() + ": a statement-format change of table "
                    + pair.name() + ".a (binlog_format was not ROW for the session that wrote it: INSERT INTO a VALUES (7));"
                    + " set binlog_format=ROW globally and restart the writers' sessions");
        }
    }

    @Test
    void lostConnection_isResumedFromTheLastDeliveredPosition_withoutLossOrRepeat(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            RecordingSink sink = new RecordingSink();
            tailer.subscribe(Set.of("a"), tailer.currentFilePosition(), sink);
            pair.source().execute("INSERT INTO a VALUES (1)");
            assertThat(sink.next(1).get(0).changes()).extracting(RowChange::key).containsExactly(Map.of("id", 1L));
            try (Connection c = pair.source().connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
                assertThat(rs.next()).isTrue();
                pair.source().execute("KILL " + rs.getLong(1));
            }
            pair.source().execute("INSERT INTO a VALUES (2)", "INSERT INTO a VALUES (3)");
            assertThat(sink.next(2)).extracting(t -> t.changes().get(0).key())
                    .containsExactly(Map.of("id", 2L), Map.of("id", 3L));
            assertThat(sink.stop).isNotDone();
            assertThat(binlogDumpThreads(pair)).isEqualTo(1);
        }
    }

    @Test
    void slowSink_blocksTheTailer_andGetsEverythingInOrderAfterwards(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
        RecordingSink recorded = new RecordingSink();
        dev.hikkoshi.data.capture.ChangeSink slow = new dev.hikkoshi.data.capture.ChangeSink() {
            @Override
            public void accept(ChangeTransaction transaction) throws InterruptedException {
                if (!transaction.changes().isEmpty()) {
                    entered.incrementAndGet();
                    release.await();
                }
                recorded.accept(transaction);
            }

            @Override
            public void stopped(CaptureStop reason) {
                recorded.stopped(reason);
            }
        };
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            tailer.subscribe(Set.of("a"), tailer.currentFilePosition(), slow);
            for (int i = 1; i <= 50; i++) {
                pair.source().execute("INSERT INTO a VALUES (" + i + ")");
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (entered.get() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            assertThat(entered.get()).isEqualTo(1); // the tailer waits in the sink, reading nothing more
            release.countDown();
            assertThat(recorded.next(50)).extracting(t -> t.changes().get(0).key().get("id"))
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    void rowsThatDoNotFitTheInspectedTable_stopAsASchemaChange(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE b (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
        try (SiteDatabase db = source(pair); BinlogTailer tailer = tailer(db)) {
            CapturePosition.BinlogFile start = tailer.currentFilePosition();
            // The DDL happens before the stream's position is read again: only the row images show the change.
            pair.source().execute("ALTER TABLE a ADD COLUMN extra INT", "ALTER TABLE b MODIFY v VARCHAR(10)");
            CapturePosition afterDdl = tailer.currentFilePosition();
            pair.source().execute("INSERT INTO a VALUES (1, 2)", "INSERT INTO b VALUES (1, 'x')");
            RecordingSink sink = new RecordingSink();
            RecordingSink sinkB = new RecordingSink();
            tailer.subscribe(Set.of("a"), afterDdl, sink);
            tailer.subscribe(Set.of("b"), afterDdl, sinkB);
            assertThat(sinkB.awaitStop().message()).endsWith(" (column v is VARCHAR in the binlog, int in the inspected"
                    + " table): apply the same change on both sites, then run 'hikkoshi data resume'");

            CaptureStop stop = sink.awaitStop();
            assertThat(stop).isInstanceOf(CaptureStop.SchemaChanged.class);
            assertThat(stop.message()).isEqualTo("table " + pair.name() + ".a was altered at "
                    + ((CaptureStop.SchemaChanged) stop).at().text() + " (row images with 2 columns, the inspected table has 1):"
                    + " apply the same change on both sites, then run 'hikkoshi data resume'");
            assertThat(FileOrder.ORDER.compare(start, (CapturePosition.BinlogFile) ((CaptureStop.SchemaChanged) stop).at()))
                    .isNegative();
        }
    }
}

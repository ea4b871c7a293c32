package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.endpoint;
import static dev.hikkoshi.data.copy.CopyFixtures.rows;
import static dev.hikkoshi.data.copy.CopyFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The copy's LOAD DATA LOCAL path (data.copy.write): which tables {@code auto} loads on a target in MariaDB's
 * default AUTO-INC lock mode, rows already on the target kept, a chunk whose warnings the server does not all
 * list copied again with INSERTs (which then refuse the truncated value), and a target that refuses LOAD DATA
 * LOCAL. The statements used are told apart by the server's own counters ({@code Com_load}, {@code Com_insert}).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class LoadDataCopyIT {
    private static final String PLAIN = "CREATE TABLE plain (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)";
    private static final String COUNTED = "CREATE TABLE counted (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " v VARCHAR(20) NOT NULL)";

    private static void fill(SandboxSchema schema, String table, int rows) {
        schema.execute("INSERT INTO " + table + " SELECT seq, CONCAT('row ', seq) FROM seq_1_to_" + rows);
    }

    private static CopyResult copy(SchemaPair pair, CopyEndpoint target, String table, CopyWrite write) throws Exception {
        return new CopyJob(endpoint(pair.source()), target, List.of(table(pair.source(), pair.target(), table,
                TenantRows.ALL)), Optional.empty(), "*", CopySettings.defaults().withParallelism(1)
                .withChunkRows(200, 200, 200).withWrite(write), CharsetOverrides.NONE, CopyHooks.NONE).run();
    }

    private static CopyResult copy(SchemaPair pair, String table, CopyWrite write) throws Exception {
        return copy(pair, endpoint(pair.target()), table, write);
    }

    /**
     * In MariaDB's default AUTO-INC lock mode (1), {@code auto} loads a table without AUTO_INCREMENT, and one with it
     * only in a copy of every row; a tenant's rows of such a table go by INSERTs, since the target's application may
     * insert into it meanwhile (ChunkWrites).
     */
    @Test
    void auto_loadsATableWithAutoIncrement_onlyInACopyOfEveryRow_underConsecutiveAutoIncLocks(SchemaPair pair)
            throws Exception {
        assertThat(CopyFixtures.count(pair.target(), "SELECT @@innodb_autoinc_lock_mode")).isEqualTo(1);
        String tenanted = "CREATE TABLE tenanted (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                + " v VARCHAR(20) NOT NULL, KEY (tenant_id))";
        pair.source().execute(PLAIN, COUNTED, tenanted,
                "INSERT INTO tenanted SELECT seq, 1 + seq % 2, CONCAT('row ', seq) FROM seq_1_to_800");
        pair.target().execute(PLAIN, COUNTED, tenanted);
        fill(pair.source(), "plain", 500);
        fill(pair.source(), "counted", 500);

        long loads = status(pair.target(), "Com_load");
        copy(pair, "plain", CopyWrite.AUTO);
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(3); // chunks of 200, 200 and 100 rows
        loads = status(pair.target(), "Com_load");
        copy(pair, "counted", CopyWrite.AUTO);
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(3);
        loads = status(pair.target(), "Com_load");
        long inserts = status(pair.target(), "Com_insert");
        new CopyJob(endpoint(pair.source()), endpoint(pair.target()), List.of(table(pair.source(), pair.target(),
                "tenanted", CopyFixtures.tenantColumn("tenant_id"))), Optional.of("1"), "one",
                CopySettings.defaults().withParallelism(1).withChunkRows(200, 200, 200), CharsetOverrides.NONE,
                CopyHooks.NONE).run();
        assertThat(status(pair.target(), "Com_load") - loads).isZero();
        assertThat(status(pair.target(), "Com_insert") - inserts).isEqualTo(3); // the plan, then 400 rows, 200 a chunk

        for (String t : List.of("plain", "counted")) {
            assertThat(rows(pair.target(), t, "id", "")).hasSize(500).isEqualTo(rows(pair.source(), t, "id", ""));
        }
        assertThat(rows(pair.target(), "tenanted", "id", "")).hasSize(400)
                .isEqualTo(rows(pair.source(), "tenanted", "id", "tenant_id = 1"));
    }

    /**
     * A table whose LOAD DATA holds its AUTO-INC lock is loaded in statements of about 2 MB, each sent once its rows
     * are formatted: while the chunk's reader waits on a source row locked by another transaction, with some 4.6 MB
     * of the chunk read before it, the statements of those rows have ended, and another session's INSERT into the
     * table is not held up by the copy. One LOAD DATA for the chunk would still be running, waiting for rows, and
     * hold the lock.
     */
    @Test
    void aTableWhoseLoadHoldsItsAutoIncLock_isLoadedInShortStatements_betweenWhichOtherInsertsGoOn(SchemaPair pair)
            throws Exception {
        String wide = "CREATE TABLE wide (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(300) NOT NULL)";
        pair.source().execute(wide, "INSERT INTO wide SELECT seq, REPEAT('x', 250) FROM seq_1_to_20000");
        pair.target().execute(wide);
        CopyJob job = new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "wide", TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withParallelism(1).withChunkRows(20_000, 20_000, 20_000), CharsetOverrides.NONE,
                CopyHooks.NONE);
        long loads = status(pair.target(), "Com_load");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection holder = pair.source().connect(); Connection app = pair.target().connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT * FROM wide WHERE id = 18000 FOR UPDATE").close();
            }
            Future<CopyResult> copying = runner.submit(job::run);
            long deadline = System.nanoTime() + 20_000_000_000L;
            // Two statements of rows before the locked one have run, and none runs now.
            while ((status(pair.target(), "Com_load") - loads < 2 || loadsRunning(pair.target()) > 0)
                    && System.nanoTime() < deadline && !copying.isDone()) {
                Thread.sleep(50);
            }
            assertThat(copying).isNotDone();
            try (Statement s = app.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 1");
                s.executeUpdate("INSERT INTO wide VALUES (100000, 'the application')");
            }
            holder.rollback();
            assertThat(copying.get(60, TimeUnit.SECONDS).totalRows()).isEqualTo(20_000);
        } finally {
            runner.shutdownNow();
        }
        assertThat(rows(pair.target(), "wide", "id", "id < 100000")).isEqualTo(rows(pair.source(), "wide", "id", ""));
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM wide")).isEqualTo(20_001);
    }

    private static long loadsRunning(SandboxSchema schema) throws SQLException {
        return CopyFixtures.count(schema,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%'");
    }

    @Test
    void rowsAlreadyOnTheTarget_areKeptAsTheyAre(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN, "INSERT INTO plain SELECT seq * 10, 'newer' FROM seq_1_to_20");
        fill(pair.source(), "plain", 200);

        long loads = status(pair.target(), "Com_load");
        long inserts = status(pair.target(), "Com_insert");
        copy(pair, "plain", CopyWrite.LOAD_DATA);

        // 20 duplicates: warnings the server lists in full, so the one LOAD DATA stands.
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(1);
        assertThat(status(pair.target(), "Com_insert") - inserts).isEqualTo(1); // the checkpoint's plan, no row
        assertThat(rows(pair.target(), "plain", "id", "id % 10 = 0")).hasSize(20)
                .allMatch(r -> r.endsWith("|6E65776572")); // 'newer'
        assertThat(rows(pair.target(), "plain", "id", "id % 10 <> 0"))
                .isEqualTo(rows(pair.source(), "plain", "id", "id % 10 <> 0"));
    }

    /**
     * 66,000 duplicates and a value too long for the target: the server lists 65,535 warnings (max_error_count at
     * its most), all duplicates. Trusting the list would keep a truncated value; the chunk is copied again with
     * INSERTs, whose own check fails it.
     */
    @Test
    void aChunkWithMoreWarningsThanTheServerLists_isCopiedAgainWithInserts_whichRefuseATruncatedValue(SchemaPair pair)
            throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute("CREATE TABLE plain (id INT NOT NULL PRIMARY KEY, v VARCHAR(8) NOT NULL)",
                "INSERT INTO plain SELECT seq, 'newer' FROM seq_1_to_66000");
        pair.source().execute("INSERT INTO plain SELECT seq, 'short' FROM seq_1_to_69999",
                "INSERT INTO plain VALUES (70000, 'much too long')");

        long loads = status(pair.target(), "Com_load");
        long inserts = status(pair.target(), "Com_insert");
        assertThatThrownBy(() -> new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "plain", TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withParallelism(1).withChunkRows(70_000, 70_000, 70_000)
                        .withWrite(CopyWrite.LOAD_DATA), CharsetOverrides.NONE, CopyHooks.NONE).run())
                .hasMessageContaining("writing rows of table plain changed a value: Data truncated for column 'v'");
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(1);
        assertThat(status(pair.target(), "Com_insert") - inserts).isGreaterThan(1); // the plan, then the INSERTs
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(66_000);
    }

    @Test
    void aTargetRefusingLocalInfile_isCopiedWithInserts_unlessLoadDataWasAskedFor(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        fill(pair.source(), "plain", 300);
        MariaDbDataSource refusing = new MariaDbDataSource(pair.target().jdbcUrl()
                + (pair.target().jdbcUrl().contains("?") ? "&" : "?") + "allowLocalInfile=false");
        refusing.setUser(pair.target().server().user());
        CopyEndpoint target = new CopyEndpoint(refusing, pair.target().name(),
                new SchemaInspector(refusing, "target").serverInfo(), "sandbox target");

        assertThatThrownBy(() -> copy(pair, target, "plain", CopyWrite.LOAD_DATA))
                .isInstanceOf(UserException.class)
                .hasMessage("data.copy.write is load-data, but sandbox target refuses LOAD DATA LOCAL INFILE (Local infile"
                        + " is disabled by connector. Enable `allowLocalInfile` to allow local infile commands)")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("set local_infile=1 on the target (its parameter group on RDS/Aurora) and keep"
                        + " allowLocalInfile on in the site's URL, or set data.copy.write to auto or insert");
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isZero();

        CopyResult result = copy(pair, target, "plain", CopyWrite.AUTO);
        assertThat(result.totalRows()).isEqualTo(300);
        assertThat(rows(pair.target(), "plain", "id", "")).isEqualTo(rows(pair.source(), "plain", "id", ""));
    }

    @Test
    void aServerWithLocalInfileOff_isCopiedWithInserts_unlessLoadDataWasAskedFor(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        fill(pair.source(), "plain", 300);
        pair.target().execute("SET GLOBAL local_infile = 0");
        try {
            assertThatThrownBy(() -> copy(pair, "plain", CopyWrite.LOAD_DATA))
                    .isInstanceOf(UserException.class)
                    .hasMessage("data.copy.write is load-data, but sandbox " + pair.target().server().name()
                            + " refuses LOAD DATA LOCAL INFILE (its local_infile is OFF)");
            long loads = status(pair.target(), "Com_load");
            assertThat(copy(pair, "plain", CopyWrite.AUTO).totalRows()).isEqualTo(300);
            assertThat(status(pair.target(), "Com_load") - loads).isZero();
        } finally {
            pair.target().execute("SET GLOBAL local_infile = 1");
        }
        assertThat(rows(pair.target(), "plain", "id", "")).isEqualTo(rows(pair.source(), "plain", "id", ""));
    }

    /** Loads rows 1 to 10 of {@code plain} with {@code next} on {@code target}, as the range's next chunk would. */
    private static void loadTheNextChunk(RowBatch next, Connection target) throws Exception {
        addRows(next, target, 1, 10);
        next.finish(target);
        target.commit();
        assertThat(next.written()).isEqualTo(10);
    }

    /** The copy's statements for {@code plain}, whose source and target tables exist. */
    private static TableStatements plainStatements(SchemaPair pair) throws SQLException {
        return new TableStatements(table(pair.source(), pair.target(), "plain", TenantRows.ALL), pair.source().name(),
                pair.target().name(), Map.of());
    }

    /** A connection whose open transaction holds {@code plain}'s row {@code id} locked for update. */
    private static Connection holding(SandboxSchema schema, int id) throws SQLException {
        Connection holder = schema.connect();
        try (Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("SELECT * FROM plain WHERE id = " + id + " FOR UPDATE").close();
            return holder;
        } catch (SQLException e) {
            holder.close();
            throw e;
        }
    }

    /** One LOAD DATA a chunk ({@link LoadDataBatch}), or statements of about 2 MB ({@link LoadDataStatements}). */
    private static RowBatch loadBatch(boolean shortStatements, TableStatements statements, ExecutorService sender) {
        return shortStatements ? new LoadDataStatements(statements, sender, LoadDataStatements.STATEMENT_BYTES,
                LoadDataStatements.buffer(LoadDataStatements.STATEMENT_BYTES)) : new LoadDataBatch(statements, sender);
    }

    /** Rows {@code from..to} of {@code plain} as the copy reads them (bytes of the server's text). */
    private static void addRows(RowBatch batch, Connection target, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            batch.add(target, new byte[][] {String.valueOf(i).getBytes(StandardCharsets.US_ASCII),
                    ("row " + i).getBytes(StandardCharsets.US_ASCII)});
        }
    }

    /**
     * A load abandoned while its statement runs (the chunk's source read failed): the statement ends, its rows roll
     * back, and the same connection loads the next chunk. 50,000 rows are about ten 64 KB blocks, more than the
     * four held ahead, so the statement is running when the batch is abandoned.
     */
    @Test
    void anAbandonedLoad_endsItsStatement_andTheConnectionLoadsTheNextChunk(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        TableStatements statements = plainStatements(pair);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (Connection target = pair.target().connect()) {
            SessionPins.target(target, endpoint(pair.target()).server());
            LoadDataBatch abandoned = new LoadDataBatch(statements, sender);
            addRows(abandoned, target, 1, 50_000);
            abandoned.abandon();
            target.rollback();
            assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isZero();

            loadTheNextChunk(new LoadDataBatch(statements, sender), target);
        } finally {
            sender.shutdownNow();
        }
        assertThat(rows(pair.target(), "plain", "id", "")).hasSize(10);
    }

    /**
     * Short statements abandoned while one is in flight: abandon returns only once that statement has ended (here
     * held by a lock on a row it meets), so that the connection is free for the rollback and the next chunk. About
     * 123,000 rows of {@code plain} fill a statement of 2 MB: the first statement meets row 100,000.
     */
    @Test
    void abandonedShortStatements_waitForTheStatementInFlight_andTheConnectionLoadsTheNextChunk(SchemaPair pair)
            throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN, "INSERT INTO plain VALUES (100000, 'locked')");
        TableStatements statements = plainStatements(pair);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        ExecutorService abandoning = Executors.newSingleThreadExecutor();
        try (Connection holder = holding(pair.target(), 100000); Connection target = pair.target().connect()) {
            SessionPins.target(target, endpoint(pair.target()).server());
            RowBatch abandoned = loadBatch(true, statements, sender);
            addRows(abandoned, target, 1, 150_000);
            Future<?> abandon = abandoning.submit(abandoned::abandon);
            Thread.sleep(500);
            assertThat(abandon).isNotDone(); // the first statement waits for the row's lock
            holder.rollback();
            abandon.get(30, TimeUnit.SECONDS);
            target.rollback();
            assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(1);

            loadTheNextChunk(loadBatch(true, statements, sender), target);
        } finally {
            sender.shutdownNow();
            abandoning.shutdownNow();
        }
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(11);
    }

    /**
     * A load that fails in the middle (a duplicate row locked by another transaction: the lock wait times out) while
     * the reader still has blocks to send: the reader gets the statement's error, and the connection is usable.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLoadFailingMidway_givesTheReaderItsError_andTheConnectionStaysUsable(boolean shortStatements, SchemaPair pair)
            throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN, "INSERT INTO plain VALUES (20000, 'locked')");
        TableStatements statements = plainStatements(pair);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (Connection holder = holding(pair.target(), 20000); Connection target = pair.target().connect()) {
            SessionPins.target(target, endpoint(pair.target()).server());
            try (Statement s = target.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 1");
            }
            RowBatch failing = loadBatch(shortStatements, statements, sender);
            assertThatThrownBy(() -> {
                addRows(failing, target, 1, 200_000);
                failing.finish(target);
            }).isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1205);
            failing.abandon();
            target.rollback();
            holder.rollback();
            assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(1);

            loadTheNextChunk(loadBatch(shortStatements, statements, sender), target);
        } finally {
            sender.shutdownNow();
        }
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(11);
    }

    /**
     * A LOAD DATA refused before it reads a row (its table is gone): the reader, blocked once four blocks wait
     * unread, sees the statement ended and fails with its error rather than waiting for ever.
     */
    @Test
    void aLoadRefusedBeforeItReads_failsTheReaderWithItsError(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        TableStatements statements = plainStatements(pair);
        pair.target().execute("DROP TABLE plain");
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (Connection target = pair.target().connect()) {
            SessionPins.target(target, endpoint(pair.target()).server());
            LoadDataBatch refused = new LoadDataBatch(statements, sender);
            assertThatThrownBy(() -> addRows(refused, target, 1, 200_000))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1146);
            refused.abandon();
            target.rollback();
            assertThat(CopyFixtures.count(pair.target(), "SELECT 1")).isEqualTo(1);
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        } finally {
            sender.shutdownNow();
        }
    }

    private static long status(SandboxSchema schema, String name) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}

package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shared table ({@code countries}, written on legacy) syncs one way: a writer changing it on legacy (inserts,
 * updates, primary-key changes, deletes) during the stream leaves cloud holding exactly legacy's rows, all of
 * them, not a tenant's; writes made directly on cloud are reported with table and key, the stream's own writes
 * there never; tenant tables are not carried.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(150)
class SharedTableStreamIT {
    static final String COUNTRIES = "CREATE TABLE countries (id INT NOT NULL PRIMARY KEY, code VARCHAR(8) NOT NULL,"
            + " name VARCHAR(60) NOT NULL, UNIQUE KEY uk_code (code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    static final String DATA = "data:\n  tenant-column: tenant_id\n  tables: { order_items: { via: \"order_id -> orders.id\" },"
            + " countries: { shared: { writer: legacy } } }\n";
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");

    @Test
    void writerChangesTheSharedTable_rowsArriveOnTheOtherSite_andDirectWritesThereAreReported(SchemaPair pair)
            throws Exception {
        for (var side : List.of(pair.source(), pair.target())) {
            side.execute(StreamFixture.DDL);
            side.execute(COUNTRIES);
        }
        String legacyServer = pair.source().server().jdbcUrl("");
        String cloudServer = pair.target().server().jdbcUrl("");
        List<BypassWrite> reported = new CopyOnWriteArrayList<>();
        try (StreamFixture f = new StreamFixture(legacyServer, cloudServer, pair.name(), DATA);
             StreamFixture onCloud = new StreamFixture(cloudServer, legacyServer, pair.name(), DATA);
             BinlogTailer legacyBinlog = f.capture(); BinlogTailer cloudBinlog = onCloud.capture()) {
            ShopWriter.fill(f);
            pair.source().execute(countries(1, 50));
            TenantScope scope = f.scope();
            List<TableScope> shared = SharedTableStream.writtenOn(scope, LEGACY);
            assertThat(shared).extracting(TableScope::name).containsExactly("countries");

            CapturePosition noted = legacyBinlog.currentPosition();
            CountryWriter writer = new CountryWriter(f.sourceUrl, 13);
            writer.start();
            copy(f, shared);
            TenantStream.Setup setup = SharedTableStream.setup(LEGACY, CLOUD, f.endpoint(true), f.endpoint(false), scope,
                    f.inspect(false), CharsetOverrides.NONE, new StreamSettings(50, 500, 10_000, Duration.ofMillis(250),
                            Duration.ofSeconds(5)));
            CapturePosition cloudNoted = cloudBinlog.currentPosition();
            try (TenantStream stream = SharedTableStream.start(setup, legacyBinlog, noted);
                 BypassWatch watch = SharedTableStream.watchNonWriter(scope, LEGACY, CLOUD, cloudBinlog, cloudNoted,
                         SharedTableStream.watchPositions(f.source, pair.name(), LEGACY, CLOUD, "binlog"),
                         reported::add)) {
                Thread.sleep(2_000);
                try (Connection c = StreamFixture.connect(f.targetUrl); Statement s = c.createStatement()) {
                    s.execute("UPDATE countries SET name = 'edited on cloud' WHERE id = 7");
                    s.execute("DELETE FROM countries WHERE id = 8");
                }
                pair.source().execute("UPDATE customers SET name = 'tenant row, not shared' WHERE id = 1");
                Thread.sleep(1_000);
                assertThat(writer.stop()).isGreaterThan(50);
                // The writer site changes those rows again: the stream carries them over the bypassing writes.
                pair.source().execute("UPDATE countries SET name = 'fixed on legacy' WHERE id = 7",
                        "UPDATE countries SET name = CONCAT(name, '!') WHERE id = 8");
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).as("%s", stream.status()).isTrue();

                List<String> legacyRows = StreamFixture.rows(f.source, "SELECT id, code, name FROM countries ORDER BY id");
                assertThat(StreamFixture.rows(f.target, "SELECT id, code, name FROM countries ORDER BY id"))
                        .containsExactlyElementsOf(legacyRows);
                assertThat(legacyRows).contains("7|c7|fixed on legacy").hasSizeGreaterThan(50);
                assertThat(StreamFixture.count(f.target, "SELECT COUNT(*) FROM customers")).isZero();
                assertThat(stream.status().id().tenant()).isEqualTo(SharedTableStream.LISTED_AS);
                assertThat(stream.status().appliedChanges()).isPositive();
                assertThat(stream.status().problem()).isEmpty();

                long deadline = System.nanoTime() + 20_000_000_000L;
                while (reported.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(500); // anything reported late (the stream's own writes) would show now
                assertThat(reported).extracting(BypassWrite::tenant, BypassWrite::site, BypassWrite::table,
                        BypassWrite::primaryKey).containsExactly(
                        Tuple.tuple(Optional.empty(), CLOUD, "countries", "id=7"),
                        Tuple.tuple(Optional.empty(), CLOUD, "countries", "id=8"));
                assertThat(watch.stopped()).isEmpty();
            }
        }
    }

    @Test
    void sharedStreamFromTheNonWriterSite_isRefusedWithTheFix(SchemaPair pair) throws Exception {
        pair.source().execute(StreamFixture.DDL);
        pair.source().execute(COUNTRIES);
        pair.target().execute(StreamFixture.DDL);
        pair.target().execute(COUNTRIES);
        try (StreamFixture f = new StreamFixture(pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""),
                pair.name(), DATA); BinlogTailer binlog = f.capture()) {
            TenantStream.Setup fromCloud = SharedTableStream.setup(CLOUD, LEGACY, f.endpoint(true), f.endpoint(false),
                    f.scope(), f.inspect(false), CharsetOverrides.NONE, StreamSettings.defaults());
            assertThatThrownBy(() -> SharedTableStream.start(fromCloud, binlog, binlog.currentPosition()))
                    .isInstanceOf(UserException.class)
                    .hasMessage("no shared table is written on site cloud: there is nothing to sync from it to site legacy");
        }
    }

    private static String countries(int from, int to) {
        StringBuilder sql = new StringBuilder("INSERT INTO countries VALUES ");
        for (int i = from; i <= to; i++) {
            sql.append(i == from ? "" : ",").append('(').append(i).append(",'c").append(i).append("','country ").append(i)
                    .append(" ✓')");
        }
        return sql.toString();
    }

    /** Copies every row of the shared tables (no tenant) with the bulk copy. */
    private static void copy(StreamFixture f, List<TableScope> shared) throws Exception {
        Schema target = f.inspect(false);
        List<CopyTable> tables = shared.stream().map(t -> new CopyTable(t.table(), target.table(t.name()).orElseThrow(),
                t.rowKey(), TenantRows.ALL)).toList();
        new CopyJob(f.endpoint(true), f.endpoint(false), tables, Optional.empty(), "shared-tables",
                CopySettings.defaults().withParallelism(1).withChunkRows(20, 10, 100), CharsetOverrides.NONE,
                CopyHooks.NONE).run();
    }

    /** Changes countries 10 and up on legacy: inserts, renames, primary-key changes, deletes (ids 1 to 9 stay). */
    private static final class CountryWriter implements Runnable {
        private final String url;
        private final Random random;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicInteger next = new AtomicInteger(1_000);
        private volatile Throwable failure;
        private Thread thread;

        CountryWriter(String url, long seed) {
            this.url = url;
            this.random = new Random(seed);
        }

        void start() {
            thread = new Thread(this, "country-writer");
            thread.setDaemon(true);
            thread.start();
        }

        int stop() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
            if (failure != null) {
                throw new AssertionError("the writer failed", failure);
            }
            return committed.get();
        }

        @Override
        public void run() {
            try (Connection c = StreamFixture.connect(url); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    int id = 10 + random.nextInt(41);
                    try {
                        switch (random.nextInt(5)) {
                            case 0 -> {
                                int n = next.incrementAndGet();
                                s.execute("INSERT INTO countries VALUES (" + n + ",'c" + n + "','new " + n + "')");
                            }
                            case 1, 2 -> s.execute("UPDATE countries SET name = 'renamed " + random.nextInt(1000)
                                    + "' WHERE id = " + id);
                            case 3 -> s.execute("UPDATE countries SET id = " + next.incrementAndGet() + " WHERE id = " + id);
                            default -> s.execute("DELETE FROM countries WHERE id = " + id);
                        }
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        c.rollback();
                        if (e.getErrorCode() != 1062) {
                            throw e;
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }
    }
}

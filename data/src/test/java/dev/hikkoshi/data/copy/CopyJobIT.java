package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.count;
import static dev.hikkoshi.data.copy.CopyFixtures.job;
import static dev.hikkoshi.data.copy.CopyFixtures.rows;
import static dev.hikkoshi.data.copy.CopyFixtures.table;
import static dev.hikkoshi.data.copy.CopyFixtures.tenantColumn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class CopyJobIT {
    private static final String ORDERS = "CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL PRIMARY KEY,"
            + " tenant_id INT NOT NULL, note VARCHAR(200) NULL, amount DECIMAL(12,2) NOT NULL,"
            + " created DATETIME NOT NULL, amount_x2 DECIMAL(13,2) AS (amount * 2) VIRTUAL, KEY (tenant_id))"
            + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    private static final String ITEMS = "CREATE TABLE order_items (order_id BIGINT UNSIGNED NOT NULL,"
            + " line INT NOT NULL, sku VARCHAR(20) NOT NULL, PRIMARY KEY (order_id, line)) ENGINE=InnoDB";

    /** 3 tenants; tenant 1 has {@code n} orders, the others n/2 each, interleaved ids; 2 items per order. */
    private static void fill(SchemaPair pair, int n) {
        pair.source().execute(ORDERS, ITEMS);
        pair.target().execute(ORDERS, ITEMS);
        StringBuilder orders = new StringBuilder();
        StringBuilder items = new StringBuilder();
        int id = 0;
        for (int i = 0; i < n * 2; i++) {
            id++;
            int tenant = i % 2 == 0 ? 1 : 2 + (i / 2) % 2;
            orders.append(orders.length() == 0 ? "" : ",").append("(").append(id).append(",").append(tenant)
                    .append(i % 7 == 0 ? ",NULL" : i % 11 == 0 ? ",''" : ",'note ねこ 🐱 " + i + "'")
                    .append(",").append(i).append(".25,'2024-0").append(1 + i % 9).append("-01 10:00:00')");
            items.append(items.length() == 0 ? "" : ",").append("(").append(id).append(",1,'a").append(i)
                    .append("'),(").append(id).append(",2,'b").append(i).append("')");
        }
        pair.source().execute("INSERT INTO orders (id, tenant_id, note, amount, created) VALUES " + orders,
                "INSERT INTO order_items VALUES " + items);
    }

    private static TenantRows itemsViaOrders() {
        return (schema, alias) -> Optional.of("EXISTS (SELECT 1 FROM `" + schema + "`.`orders` `o` WHERE `o`.`id` = `"
                + alias + "`.`order_id` AND `o`.`tenant_id` = ?)");
    }

    @Test
    void tenantCopy_copiesOnlyThatTenant_andLeavesOtherTenantsRowsOnTargetUntouched(SchemaPair pair) throws Exception {
        fill(pair, 3_000);
        // The target already holds tenant 2's rows (moved earlier, then changed there) and one row of tenant 1
        // written by the change stream: none of them may be touched.
        pair.target().execute("INSERT INTO orders (id, tenant_id, note, amount, created) VALUES"
                        + " (2, 2, 'changed on target', 1.00, '2020-01-01 00:00:00'),"
                        + " (9000001, 2, 'target only', 2.00, '2020-01-01 00:00:00'),"
                        + " (3, 1, 'stream wrote this', 3.00, '2020-01-01 00:00:00')",
                "INSERT INTO order_items VALUES (2, 1, 'target-only-item')");
        List<String> otherTenantsBefore = rows(pair.target(), "orders", "id", "tenant_id <> 1");
        // A writer keeps changing other tenants' rows on the source while the copy runs.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = pair.source().connect();
                 PreparedStatement update = c.prepareStatement("UPDATE orders SET note = CONCAT('w', ?) WHERE id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id, tenant_id, note, amount, created)"
                         + " VALUES (?, 3, 'new', 1, NOW())")) {
                int i = 0;
                while (!stop.get()) {
                    i++;
                    update.setInt(1, i);
                    update.setLong(2, 2L * (i % 3_000) + 2); // even ids: tenants 2 and 3
                    update.executeUpdate();
                    insert.setLong(1, 5_000_000L + i);
                    insert.executeUpdate();
                    writes.incrementAndGet();
                    Thread.sleep(2); // a busy application, not a flood of fsyncs starving the 2 shared cores
                }
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        });
        writer.start();
        CopySettings settings = CopySettings.defaults().withChunkRows(300, 50, 1_000);
        CopyResult result;
        try {
            result = job(pair.source(), pair.target(), List.of(
                    table(pair.source(), pair.target(), "orders", tenantColumn("tenant_id")),
                    table(pair.source(), pair.target(), "order_items", itemsViaOrders())),
                    Optional.of("1"), settings, CopyHooks.NONE).run();
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(writerFailure.get()).isNull();
        assertThat(writes.get()).isPositive();

        // Tenant 1: every source row is on the target, except the one the stream wrote, which was kept.
        List<String> sourceTenant1 = rows(pair.source(), "orders", "id", "tenant_id = 1 AND id <> 3");
        assertThat(rows(pair.target(), "orders", "id", "tenant_id = 1 AND id <> 3")).isEqualTo(sourceTenant1);
        assertThat(sourceTenant1).hasSize(2_999);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM orders WHERE id = 3 AND note = 'stream wrote this'"))
                .isEqualTo(1);
        String tenant1Items = "order_id IN (SELECT id FROM orders WHERE tenant_id = 1)";
        assertThat(rows(pair.target(), "order_items", "order_id, line", tenant1Items))
                .isEqualTo(rows(pair.source(), "order_items", "order_id, line", tenant1Items));
        // Other tenants: exactly what the target had before, nothing copied from the source.
        assertThat(rows(pair.target(), "orders", "id", "tenant_id <> 1")).isEqualTo(otherTenantsBefore);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM order_items")).isEqualTo(2 * 3_000 + 1);
        assertThat(result.rowsByTable()).containsEntry("orders", 3_000L).containsEntry("order_items", 6_000L);
    }

    @Test
    void wholeSchemaCopy_compositeAndStringKeys_inCollationOrder_allRowsOnce(SchemaPair pair) throws Exception {
        String ddl = "CREATE TABLE tags (region VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL,"
                + " code VARBINARY(8) NOT NULL, n INT NOT NULL, label VARCHAR(30) CHARACTER SET latin1 NULL,"
                + " PRIMARY KEY (region, code, n)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        String ddl2 = "CREATE TABLE names (name VARCHAR(40) COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY,"
                + " born DATE NOT NULL, big BIGINT UNSIGNED NOT NULL, UNIQUE KEY (big)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        pair.source().execute(ddl, ddl2);
        pair.target().execute(ddl, ddl2);
        StringBuilder tags = new StringBuilder();
        String[] regions = {"a", "B", "c", "Äb", "日本", "z z", "O'Brien", "back\\slash"};
        int n = 0;
        for (String region : regions) {
            for (int code = 0; code < 6; code++) {
                for (int k = 0; k < 5; k++) {
                    tags.append(tags.length() == 0 ? "" : ",").append("('").append(region.replace("\\", "\\\\")
                            .replace("'", "''")).append("', X'").append(String.format("%02X00", code * 40))
                            .append("', ").append(k).append(", 'café ").append(n++).append("')");
                }
            }
        }
        pair.source().execute("INSERT INTO tags VALUES " + tags);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            names.append(i == 0 ? "" : ",").append("('").append(i % 2 == 0 ? "Name" : "name-").append(i).append(" 猫")
                    .append("', '").append(i % 5 == 0 ? "0000-00-00" : "1999-12-31").append("', ")
                    .append("18446744073709551615 - ").append(i).append(")");
        }
        pair.source().execute("SET SESSION sql_mode = ''", "INSERT INTO names VALUES " + names);
        pair.source().execute("SET SESSION sql_mode = ''");
        CopySettings settings = CopySettings.defaults().withChunkRows(7, 3, 7); // many keyset pages
        job(pair.source(), pair.target(), List.of(table(pair.source(), pair.target(), "tags", TenantRows.ALL),
                table(pair.source(), pair.target(), "names", TenantRows.ALL)), Optional.empty(), settings,
                CopyHooks.NONE).run();

        assertThat(rows(pair.target(), "tags", "region, code, n", "")).hasSize(regions.length * 30)
                .isEqualTo(rows(pair.source(), "tags", "region, code, n", ""));
        assertThat(rows(pair.target(), "names", "name", "")).hasSize(500)
                .isEqualTo(rows(pair.source(), "names", "name", ""));
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM names WHERE born = '0000-00-00'")).isEqualTo(100);
    }

    @Test
    void chunk_keepsSourceRowsShareLockedUntilTheTargetCommits(SchemaPair pair) throws Exception {
        fill(pair, 50);
        AtomicReference<SQLException> blocked = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CopyHooks probe = (point, table) -> {
            if (point == CopyPoint.BEFORE_TARGET_COMMIT && table.equals("orders") && calls.getAndIncrement() == 0) {
                try (Connection c = pair.source().connect(); Statement s = c.createStatement()) {
                    s.execute("SET SESSION innodb_lock_wait_timeout = 1");
                    s.executeUpdate("UPDATE orders SET note = 'racing writer' WHERE id = 1");
                } catch (SQLException e) {
                    blocked.set(e);
                }
            }
        };
        job(pair.source(), pair.target(), List.of(table(pair.source(), pair.target(), "orders", TenantRows.ALL)),
                Optional.empty(), CopySettings.defaults().withParallelism(1), probe).run();
        assertThat((Throwable) blocked.get()).isNotNull();
        assertThat(blocked.get().getErrorCode()).isEqualTo(1205); // lock wait timeout: the row was share-locked
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", ""));
    }

    /**
     * The shop's delete: it locks an order by primary key, then deletes it, which locks the order's entry in
     * the tenant_id index. A chunk that read the tenant's orders share-locked through that index held the entry
     * while it waited for the order, the delete waited for the entry, and InnoDB killed one of them as a
     * deadlock. The chunk must lock rows by primary key only, and simply wait for the delete.
     */
    @Test
    void tenantChunk_waitingOnAnApplicationsRowLock_neverDeadlocksWithItsDelete(SchemaPair pair) throws Exception {
        fill(pair, 1_000);
        // A small tenant among many, so that its chunks are read through the tenant_id index.
        pair.source().execute("UPDATE orders SET tenant_id = 2 WHERE tenant_id = 1 AND id > 100",
                "ANALYZE TABLE orders");
        long deadlocksBefore = deadlocks(pair);
        AtomicReference<Throwable> copyFailure = new AtomicReference<>();
        String delete;
        try (Connection app = pair.source().connect(); Statement s = app.createStatement()) {
            app.setAutoCommit(false);
            s.executeQuery("SELECT id FROM orders WHERE id = 1 FOR UPDATE").close();
            Thread copy = new Thread(() -> {
                try {
                    job(pair.source(), pair.target(), List.of(table(pair.source(), pair.target(), "orders",
                            tenantColumn("tenant_id"))), Optional.of("1"), CopySettings.defaults().withParallelism(1),
                            CopyHooks.NONE).run();
                } catch (Throwable t) {
                    copyFailure.set(t);
                }
            });
            copy.start();
            awaitLockWait(pair); // the chunk waits for order 1
            delete = outcome(s, "DELETE FROM orders WHERE id = 1");
            app.commit();
            copy.join(60_000);
            assertThat(copy.isAlive()).isFalse();
        }
        assertThat(delete).isEqualTo("done");
        assertThat(copyFailure.get()).isNull();
        assertThat(deadlocks(pair)).isEqualTo(deadlocksBefore);
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", "tenant_id = 1"))
                .hasSize(49);
    }

    private static long deadlocks(SchemaPair pair) throws SQLException {
        return count(pair.source(), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'");
    }

    private static void awaitLockWait(SchemaPair pair) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // a statement of the copy's that has run for half a second on 2,000 rows is waiting for a lock
        while (count(pair.source(), "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE"
                + " '%LOCK IN SHARE MODE' AND TIME_MS > 500") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the copy never waited for the application's lock: "
                        + processList(pair));
            }
            Thread.sleep(20);
        }
    }

    private static String processList(SchemaPair pair) throws SQLException {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(CONCAT_WS(' ', ID, COMMAND, STATE, LEFT(INFO, 120))"
                     + " SEPARATOR ' | ') FROM information_schema.PROCESSLIST WHERE COMMAND <> 'Sleep'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String outcome(Statement s, String sql) {
        try {
            s.execute(sql);
            return "done";
        } catch (SQLException e) {
            return Integer.toString(e.getErrorCode());
        }
    }

    @Test
    void failedCopy_resumesFromItsCheckpoint_withoutGapsOrDuplicates(SchemaPair pair) throws Exception {
        fill(pair, 2_000);
        AtomicInteger commits = new AtomicInteger();
        CopyHooks failAfterFive = (point, table) -> {
            if (point == CopyPoint.AFTER_TARGET_COMMIT && commits.incrementAndGet() == 5) {
                throw new IllegalStateException("planned failure");
            }
        };
        CopySettings settings = CopySettings.defaults().withParallelism(2).withChunkRows(250, 250, 250);
        List<CopyTable> tables = List.of(table(pair.source(), pair.target(), "orders", TenantRows.ALL));
        assertThatThrownBy(() -> job(pair.source(), pair.target(), tables, Optional.empty(), settings, failAfterFive).run())
                .hasMessage("planned failure");
        long partial = count(pair.target(), "SELECT COUNT(*) FROM orders");
        assertThat(partial).isBetween(250L, 3_999L);

        CopyResult resumed = job(pair.source(), pair.target(), tables, Optional.empty(), settings, CopyHooks.NONE).run();

        assertThat(resumed.rowsThisRun()).isEqualTo(4_000 - partial);
        assertThat(resumed.totalRows()).isEqualTo(4_000);
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", ""));
    }

    @Test
    void rateCapAndPause_slowTheCopyDown(SchemaPair pair) throws Exception {
        fill(pair, 1_000); // 2,000 orders
        CopySettings capped = CopySettings.defaults().withParallelism(1).withChunkRows(200, 200, 200)
                .withMaxRowsPerSecond(4_000);
        CopyJob job = job(pair.source(), pair.target(), List.of(table(pair.source(), pair.target(), "orders",
                TenantRows.ALL)), Optional.empty(), capped, CopyHooks.NONE);
        job.throttle().pause();
        Thread resumer = new Thread(() -> {
            try {
                Thread.sleep(700);
                job.throttle().resume();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        resumer.start();
        CopyResult result = job.run();
        resumer.join();
        // 700 ms paused, then 2,000 rows at 4,000 rows/s: at least 0.45 s more.
        assertThat(result.elapsed()).isGreaterThan(Duration.ofMillis(1_100));
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", ""));
    }

    @Test
    void busySource_pausesTheCopyWhileThreadsRunningIsAboveTheThreshold(SchemaPair pair) throws Exception {
        fill(pair, 500);
        // Six sessions sleeping in a query count as running threads for 2 s.
        List<Thread> sleepers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = pair.source().connect(); Statement s = c.createStatement()) {
                    s.execute("SELECT SLEEP(2)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            sleepers.add(t);
        }
        Thread.sleep(300);
        CopySettings settings = CopySettings.defaults().withParallelism(1).withMaxThreadsRunning(4);
        long start = System.nanoTime();
        CopyResult result = job(pair.source(), pair.target(), List.of(table(pair.source(), pair.target(), "orders",
                TenantRows.ALL)), Optional.empty(), settings, CopyHooks.NONE).run();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        for (Thread t : sleepers) {
            t.join();
        }
        assertThat(elapsedMillis).isGreaterThan(1_200); // waited for the sleepers (1.7 s left) before copying
        assertThat(result.totalRows()).isEqualTo(1_000);
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", ""));
    }
}

package dev.hikkoshi.cutover.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.config.DatabaseUrl;
import dev.hikkoshi.data.config.TlsConfig;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The controller's named lock on the new site's database, against a real MariaDB: a second holder is refused
 * with the connection and host that hold it; a lock whose connection is killed (as a server restart would) is
 * reported lost within a check or two, and taken again on a fresh connection.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(60)
class SiteDatabaseLockIT {
    private static final Duration CHECK = Duration.ofMillis(200);

    @Test
    void secondHolder_isRefused_namingTheConnectionAndHostThatHoldIt(SchemaPair pair) throws Exception {
        DatabaseConfig target = target(pair);
        String name = SiteDatabaseLock.lockName(target.schema());
        try (SiteDatabaseLock first = SiteDatabaseLock.acquire(target, CHECK, SiteDatabaseLock.Listener.NONE)) {
            assertThat(first.name()).isEqualTo(name);
            String holder = holder(pair, name);
            assertThatThrownBy(() -> SiteDatabaseLock.acquire(target, CHECK, SiteDatabaseLock.Listener.NONE))
                    .isInstanceOf(UserException.class)
                    .hasMessage("another controller holds the database lock " + name + " on site cloud ("
                            + target.url().address() + "/" + target.schema() + " as root) (" + holder + ")")
                    .extracting(e -> ((UserException) e).hint())
                    .isEqualTo("two controllers must not run plans against the same sites: stop the other "
                            + "controller, or point this one at other sites");
        }
        // released on close: the next controller takes it
        SiteDatabaseLock.acquire(target, CHECK, SiteDatabaseLock.Listener.NONE).close();
    }

    @Test
    void killedLockConnection_isReportedLost_andTheLockIsTakenAgain(SchemaPair pair) throws Exception {
        DatabaseConfig target = target(pair);
        String name = SiteDatabaseLock.lockName(target.schema());
        List<String> events = new CopyOnWriteArrayList<>();
        SiteDatabaseLock.Listener listener = new SiteDatabaseLock.Listener() {
            @Override
            public void lost(String reason) {
                events.add("lost: " + reason);
            }

            @Override
            public void regained() {
                events.add("regained");
            }
        };
        try (SiteDatabaseLock lock = SiteDatabaseLock.acquire(target, CHECK, listener)) {
            long id = holderId(pair, name);
            pair.target().execute("KILL CONNECTION " + id);
            await(() -> events.contains("regained"));
            assertThat(events.get(0)).startsWith("lost: lost the database lock " + name + " on site cloud ("
                    + target.url().address() + "/" + target.schema() + " as root): its connection failed: ");
            assertThat(events).hasSize(2);
            assertThat(lock.held()).isTrue();
            assertThat(holderId(pair, name)).isNotEqualTo(id);
        }
        assertThat(isFree(pair, name)).isTrue();
    }

    @Test
    void longSchemaNames_giveALockNameWithinMariaDbsLimit() {
        String schema = "s".repeat(64);
        String name = SiteDatabaseLock.lockName(schema);
        assertThat(name).hasSize(64).startsWith("hikkoshi.controller.sss").isNotEqualTo(SiteDatabaseLock.lockName(
                "s".repeat(63) + "t"));
        assertThat(SiteDatabaseLock.lockName("shop")).isEqualTo("hikkoshi.controller.shop");
    }

    static DatabaseConfig target(SchemaPair pair) {
        return new DatabaseConfig(SiteId.of("cloud"), DatabaseUrl.parse(pair.target().jdbcUrl()).orElseThrow(), "root",
                Optional.empty(), CaptureMode.BINLOG, TlsConfig.disabled(), Map.of());
    }

    private static long holderId(SchemaPair pair, String name) throws SQLException {
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('" + name + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean isFree(SchemaPair pair, String name) throws SQLException {
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_FREE_LOCK('" + name + "')")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    /** "connection N from HOST:PORT", read independently of the lock's own query. */
    static String holder(SchemaPair pair, String name) throws SQLException {
        long id = holderId(pair, name);
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
            rs.next();
            return "connection " + id + " from " + rs.getString(1);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

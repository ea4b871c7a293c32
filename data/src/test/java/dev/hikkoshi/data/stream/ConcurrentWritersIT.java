package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.TenantRowsComparison;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shop application's transactions (an order with its items, a status change, an order deleted with its
 * items) from several connections at once on the source, as the demo's load makes them on the new site, while
 * the streams of three tenants on one capture start one after the other (each start makes the capture reconnect
 * from an older position): every tenant's rows end equal on both sides.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(180)
class ConcurrentWritersIT {
    private static final int WRITERS = 6;
    private static final List<TenantId> TENANTS = ShopSeed.tenantNames(3);

    @Test
    void shopTransactionsFromManyConnections_whileStreamsJoinTheCapture_leaveEveryTenantsRowsEqual(SchemaPair pair)
            throws Exception {
        ShopSchema.create(pair.source());
        ShopSchema.create(pair.target());
        ShopSeed seed = new ShopSeed(5, 4, 3);
        seed.apply(pair.source(), TENANTS);
        seed.apply(pair.target(), TENANTS);
        String data = ShopSchema.DATA_CONFIG.replace("countries: { shared: { writer: legacy } }", "countries: { skip: true }");
        try (StreamFixture f = new StreamFixture(pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""),
                pair.name(), data); BinlogTailer capture = f.capture()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger committed = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long seedOf = 100 + w;
                Thread t = new Thread(() -> write(f.sourceUrl, new Random(seedOf), stop, committed, failure), "writer-" + w);
                t.setDaemon(true);
                writers.add(t);
            }
            List<TenantStream> streams = new ArrayList<>();
            // Both sides hold the seed: every stream starts from the position before the first write, so each
            // later one arrives behind the capture and makes it reconnect from that older position.
            CapturePosition seeded = capture.currentPosition();
            try {
                writers.forEach(Thread::start);
                for (int tenant = 1; tenant <= TENANTS.size(); tenant++) {
                    Thread.sleep(1_500);
                    streams.add(TenantStream.start(f.setup(String.valueOf(tenant), false), capture, seeded));
                }
                Thread.sleep(8_000);
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join(10_000);
                }
            }
            assertThat(failure.get()).isNull();
            assertThat(committed.get()).isGreaterThan(100);
            for (TenantStream s : streams) {
                assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).as("caught up; %s", s.status()).isTrue();
            }
            streams.forEach(TenantStream::close);
            for (TenantId tenant : TENANTS) {
                assertThat(TenantRowsComparison.compare(tenant, pair.source(), pair.target()).differences())
                        .as("%s after %d transactions", tenant, committed.get()).isEmpty();
            }
        }
    }

    private static void write(String url, Random random, AtomicBoolean stop, AtomicInteger committed,
                              AtomicReference<Throwable> failure) {
        try (Connection c = StreamFixture.connect(url)) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                int tenant = 1 + random.nextInt(TENANTS.size());
                try {
                    switch (random.nextInt(4)) {
                        case 0, 1 -> create(c, tenant, random);
                        case 2 -> update(c, tenant, random);
                        default -> delete(c, tenant, random);
                    }
                    c.commit();
                    committed.incrementAndGet();
                } catch (SQLException e) {
                    c.rollback();
                    if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                        throw e;
                    }
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void create(Connection c, int tenant, Random random) throws SQLException {
        long customer = single(c, "SELECT MIN(id) FROM customers WHERE tenant_id = " + tenant);
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (tenant_id, customer_id, status, note, placed_at,"
                + " updated_at) VALUES (?, ?, 'new', 'stress', NOW(), NOW())", Statement.RETURN_GENERATED_KEYS)) {
            s.setInt(1, tenant);
            s.setLong(2, customer);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO order_items (order_id, sku, quantity, price_cents)"
                + " VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                s.setLong(1, id);
                s.setString(2, "SKU-" + i);
                s.setInt(3, 1 + i);
                s.setInt(4, 100 * i);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void update(Connection c, int tenant, Random random) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE orders SET status = 'paid', updated_at = NOW(), note = '" + random.nextInt(1000)
                    + "' WHERE tenant_id = " + tenant + " ORDER BY id DESC LIMIT 1");
        }
    }

    private static void delete(Connection c, int tenant, Random random) throws SQLException {
        long id = single(c, "SELECT COALESCE(MAX(id), 0) FROM orders WHERE tenant_id = " + tenant + " AND id % 3 = "
                + random.nextInt(3) + " FOR UPDATE");
        if (id == 0) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM order_items WHERE order_id = " + id);
            s.executeUpdate("DELETE FROM orders WHERE id = " + id);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

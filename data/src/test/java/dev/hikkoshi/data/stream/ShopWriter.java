package dev.hikkoshi.data.stream;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application stand-in of the stream tests: a thread changing every tenant's rows on the source with a
 * seeded mix of inserts, updates (note, tenant key, primary key with ON UPDATE CASCADE to the items, an item's
 * parent key), deletes (an order with its items by cascade, a customer with its orders and their items by a
 * two-level cascade) and multi-statement transactions. Conflicts the random choices cause (a duplicate key, a
 * missing parent) roll the transaction back, as an application would.
 */
final class ShopWriter implements Runnable {
    private final String url;
    private final Random random;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger committed = new AtomicInteger();
    private final AtomicInteger nextOrder = new AtomicInteger(100_000);
    private final AtomicInteger nextCustomer = new AtomicInteger(10_000);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    ShopWriter(String url, long seed) {
        this.url = url;
        this.random = new Random(seed);
    }

    /** 60 customers, 300 orders with 2 items each, over tenants 1 to 3. */
    static void fill(StreamFixture f) throws SQLException {
        try (Connection c = StreamFixture.connect(f.sourceUrl); Statement s = c.createStatement()) {
            StringBuilder customers = new StringBuilder("INSERT INTO customers VALUES ");
            for (int i = 1; i <= 60; i++) {
                customers.append(i == 1 ? "" : ",").append('(').append(i).append(',').append(i % 3 + 1).append(",'c")
                        .append(i).append(" ✓')");
            }
            s.execute(customers.toString());
            StringBuilder orders = new StringBuilder("INSERT INTO orders VALUES ");
            StringBuilder items = new StringBuilder("INSERT INTO order_items VALUES ");
            for (int i = 1; i <= 300; i++) {
                int customer = i % 60 + 1;
                orders.append(i == 1 ? "" : ",").append('(').append(i).append(',').append(customer % 3 + 1).append(',')
                        .append(customer).append(",'n").append(i).append("')");
                items.append(i == 1 ? "" : ",").append('(').append(i).append(",1,").append(i).append("),(").append(i)
                        .append(",2,").append(i * 2).append(')');
            }
            s.execute(orders.toString());
            s.execute(items.toString());
        }
    }

    void start() {
        thread = new Thread(this, "shop-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the writer and waits for it; rethrows its failure. */
    int stop() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
        return committed.get();
    }

    int committed() {
        return committed.get();
    }

    @Override
    public void run() {
        try (Connection c = StreamFixture.connect(url); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                try {
                    int op = random.nextInt(20);
                    int order = 1 + random.nextInt(300);
                    int tenant = 1 + random.nextInt(3);
                    switch (op) {
                        case 0, 1, 2 -> {
                            int id = nextOrder.incrementAndGet();
                            s.execute("INSERT INTO orders VALUES (" + id + "," + tenant + "," + (1 + random.nextInt(60))
                                    + ",'new " + id + "')");
                            for (int line = 1; line <= 1 + random.nextInt(3); line++) {
                                s.execute("INSERT INTO order_items VALUES (" + id + "," + line + "," + line + ")");
                            }
                        }
                        case 3, 4, 5 -> s.execute("UPDATE orders SET note = 'u" + random.nextInt(1000) + "' WHERE id = " + order);
                        case 6, 7 -> s.execute("UPDATE orders SET tenant_id = " + tenant + " WHERE id = " + order);
                        case 8 -> s.execute("UPDATE orders SET id = " + nextOrder.incrementAndGet() + " WHERE id = " + order);
                        case 9 -> s.execute("UPDATE order_items SET order_id = " + (1 + random.nextInt(300))
                                + " WHERE order_id = " + order + " AND line = 1");
                        case 10, 11 -> s.execute("DELETE FROM orders WHERE id = " + order);
                        case 12 -> s.execute("DELETE FROM customers WHERE id = " + (1 + random.nextInt(60)));
                        case 13 -> {
                            int customer = nextCustomer.incrementAndGet();
                            int id = nextOrder.incrementAndGet();
                            s.execute("INSERT INTO customers VALUES (" + customer + "," + tenant + ",'new " + customer + "')");
                            s.execute("INSERT INTO orders VALUES (" + id + "," + tenant + "," + customer + ",'with customer')");
                            s.execute("INSERT INTO order_items VALUES (" + id + ",1,7)");
                        }
                        case 14, 15 -> s.execute("UPDATE order_items SET qty = qty + 1 WHERE order_id = " + order);
                        case 16 -> s.execute("UPDATE customers SET tenant_id = " + tenant + " WHERE id = " + (1 + random.nextInt(60)));
                        default -> {
                            // A multi-statement transaction over several orders: move one, change another, drop an item.
                            s.execute("UPDATE orders SET note = 'tx' WHERE id = " + order);
                            s.execute("UPDATE orders SET tenant_id = " + tenant + " WHERE id = " + (1 + random.nextInt(300)));
                            s.execute("DELETE FROM order_items WHERE order_id = " + (1 + random.nextInt(300)) + " AND line = 2");
                            s.execute("INSERT INTO order_items SELECT id, 9, 9 FROM orders WHERE id = " + order
                                    + " AND NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = " + order + " AND line = 9)");
                        }
                    }
                    c.commit();
                    committed.incrementAndGet();
                } catch (SQLException e) {
                    c.rollback();
                    if (e.getErrorCode() != 1062 && e.getErrorCode() != 1452 && e.getErrorCode() != 1213
                            && e.getErrorCode() != 1205) {
                        throw e;
                    }
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.set(e);
        }
    }
}

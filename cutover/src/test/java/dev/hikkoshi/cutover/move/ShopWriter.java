package dev.hikkoshi.cutover.move;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Changes tenant t1's rows through the router, one request at a time (inserts of new orders, note updates,
 * item deletes), and records every acknowledged write with the site that served it: the independent record
 * the tests check the final site against. A request that fails is recorded as a failure, never retried.
 */
final class ShopWriter implements AutoCloseable {
    /** One acknowledged write. */
    record Ack(String op, int id, String note, String servedBy) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final List<Integer> orders;
    private final Random random;
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> lastNote = new ConcurrentHashMap<>();
    private final AtomicInteger nextId;
    private final AtomicReference<Throwable> crashed = new AtomicReference<>();
    private volatile boolean stopping;
    private Thread thread;

    /** @param proxy the router's proxy; {@code orders} t1's existing order ids; inserts start at {@code firstId} */
    ShopWriter(URI proxy, List<Integer> orders, int firstId, long seed) {
        this.base = proxy.resolve("/t/t1/");
        this.orders = List.copyOf(orders);
        this.nextId = new AtomicInteger(firstId);
        this.random = new Random(seed);
    }

    void start() {
        thread = new Thread(this::loop, "shop-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        int n = 0;
        try {
            while (!stopping) {
                n++;
                int pick = random.nextInt(10);
                if (pick < 3) {
                    send("insert", nextId.getAndIncrement(), null);
                } else if (pick < 9) {
                    send("update", orders.get(random.nextInt(orders.size())), "w" + n);
                } else {
                    send("delete-item", orders.get(random.nextInt(orders.size())), null);
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            crashed.set(e);
        }
    }

    private void send(String op, int id, String note) throws InterruptedException {
        String query = "?id=" + id + (note == null ? "" : "&note=" + note);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(op + query)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                failures.add(op + " " + id + ": " + r.statusCode() + " " + r.body());
                return;
            }
            String site = r.headers().firstValue("X-Served-By").orElse("?");
            acks.add(new Ack(op, id, note, site));
            if (op.equals("update")) {
                lastNote.put(id, note);
            } else if (op.equals("insert")) {
                lastNote.put(id, "new");
            }
        } catch (java.io.IOException e) {
            failures.add(op + " " + id + ": " + e);
        }
    }

    /** Stops after the request in flight; returns the number of acknowledged writes. */
    int stop() throws InterruptedException {
        stopping = true;
        thread.join(60_000);
        if (crashed.get() != null) {
            throw new IllegalStateException("the writer crashed", crashed.get());
        }
        return acks.size();
    }

    List<Ack> acks() {
        return acks;
    }

    List<String> failures() {
        return failures;
    }

    /** The note each order must have: the last acknowledged update, or "new" for an acknowledged insert. */
    Map<Integer, String> expectedNotes() {
        return Map.copyOf(lastNote);
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null && !stopping) {
            stop();
        }
    }
}

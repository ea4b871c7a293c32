package dev.hikkoshi.router.site;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 standing in for an application server: {@code /healthz} answers 200 (or 503
 * while sick), {@code /fail} 500, {@code /slow} waits for {@link #releaseSlow()}, anything else 200. It can be
 * stopped and started again on the same port, like a crashed and restarted upstream.
 */
final class LoopbackBackend implements AutoCloseable {
    private volatile int port;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile boolean sick;
    private volatile CountDownLatch slow = new CountDownLatch(1);
    private HttpServer server;

    private LoopbackBackend(int port) throws IOException {
        this.port = port;
        start();
    }

    static LoopbackBackend open() throws IOException {
        return new LoopbackBackend(0);
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized void stop() {
        slow.countDown();
        server.stop(0);
    }

    void sick(boolean value) {
        sick = value;
    }

    int healthChecks() {
        return healthChecks.get();
    }

    void releaseSlow() {
        slow.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            int status = switch (path) {
                case "/healthz" -> {
                    healthChecks.incrementAndGet();
                    yield sick ? 503 : 200;
                }
                case "/fail" -> 500;
                case "/slow" -> {
                    awaitSlow();
                    yield 200;
                }
                default -> 200;
            };
            byte[] body = ("port " + port() + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void awaitSlow() {
        try {
            if (!slow.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("slow request was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A real GET to {@code base + path}; the status, or -1 if the connection failed. */
    static int get(URI base, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(15000);
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}

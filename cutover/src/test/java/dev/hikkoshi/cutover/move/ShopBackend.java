package dev.hikkoshi.cutover.move;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hikkoshi.core.routing.SiteId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * One site's application for the move tests: a tiny HTTP server that writes the tenant's rows to its own site's
 * database inside the request (so a router's freeze drains the write with the request) and names itself in
 * {@code X-Served-By}. The tenant is the one the router resolved ({@code X-Hikkoshi-Tenant}: t1 has id 1).
 * Ops: {@code insert?id=N}, {@code update?id=N&note=X}, {@code delete-item?id=N}.
 */
final class ShopBackend implements AutoCloseable {
    private final SiteId site;
    private final String jdbcUrl;
    private final HttpServer server;

    ShopBackend(SiteId site, String jdbcUrl) throws IOException {
        this.site = site;
        this.jdbcUrl = jdbcUrl;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        String body;
        try {
            String tenant = exchange.getRequestHeaders().getFirst("X-Hikkoshi-Tenant");
            if (tenant == null || !tenant.startsWith("t")) {
                throw new IllegalArgumentException("no tenant header");
            }
            int tenantId = Integer.parseInt(tenant.substring(1));
            Map<String, String> q = query(exchange.getRequestURI());
            String op = exchange.getRequestURI().getPath().replaceFirst("^/", "");
            body = "ok " + write(op, tenantId, Integer.parseInt(q.getOrDefault("id", "0")), q.get("note"));
        } catch (RuntimeException | SQLException e) {
            status = 500;
            body = "error " + e.getMessage();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Served-By", site.value());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private int write(String op, int tenantId, int id, String note) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", "")) {
            c.setAutoCommit(false);
            int n;
            switch (op) {
                case "insert" -> {
                    n = update(c, "INSERT INTO orders (id, tenant_id, customer_id, note) VALUES (?, ?, ?, 'new')", id,
                            tenantId, tenantId * 1000 + 1);
                    update(c, "INSERT INTO order_items (order_id, line, qty) VALUES (?, 1, 1), (?, 2, 2)", id, id);
                }
                case "update" -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET note = ? WHERE id = ? AND tenant_id = ?")) {
                        ps.setString(1, note);
                        ps.setInt(2, id);
                        ps.setInt(3, tenantId);
                        n = ps.executeUpdate();
                    }
                }
                case "delete-item" -> n = update(c, "DELETE FROM order_items WHERE order_id = ? AND line = 2", id);
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
            c.commit();
            return n;
        }
    }

    private static int update(Connection c, String sql, int... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setInt(i + 1, values[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    out.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

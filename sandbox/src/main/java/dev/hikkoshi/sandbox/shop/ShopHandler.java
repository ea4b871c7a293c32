package dev.hikkoshi.sandbox.shop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import dev.hikkoshi.sandbox.shop.ShopApi.NewOrder;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderChange;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderLine;
import dev.hikkoshi.sandbox.shop.ShopApi.Orders;
import dev.hikkoshi.sandbox.shop.ShopApi.Written;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ShopApi} for one {@link ShopApp}: names the site in every response, takes the tenant from the
 * header the router sets, applies the tenant's injected latency or failure, then reads or writes through
 * {@link ShopStore}. Runs on the app's worker threads (blocking JDBC, one request per thread).
 */
final class ShopHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ShopHandler.class);
    private static final Pattern ORDER_PATH = Pattern.compile("/orders/([1-9][0-9]{0,17})");

    private final ShopApp app;
    private final ShopStore store;

    ShopHandler(ShopApp app, ShopStore store) {
        this.app = app;
        this.store = store;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getResponseHeaders().set(RecordingBackend.SERVED_BY_HEADER, app.site().value());
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                Answer answer = answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst(RecordingBackend.TENANT_HEADER), body);
                send(exchange, answer.status(), "application/json", ShopApi.JSON.writeValueAsBytes(answer.body()));
            } catch (RejectedRequestException e) {
                sendText(exchange, e.status(), e.getMessage());
            } catch (SQLException e) {
                log.warn("site {}: database error on {} {}: {} (SQLSTATE {})", app.site(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), e.getMessage(), e.getSQLState());
                sendText(exchange, 500, "database error: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendText(exchange, 503, "the shop on " + app.site() + " is stopping");
            } catch (RuntimeException e) {
                // A bug here: answer it (the JDK's server would just drop the connection) and log it once.
                log.error("site {}: {} {} failed", app.site(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), e);
                sendText(exchange, 500, "internal error: " + e);
            }
        } finally {
            exchange.close();
        }
    }

    /** A successful answer: its status and the object to send as JSON. */
    private record Answer(int status, Object body) {
    }

    private Answer answer(String method, String path, String tenantHeader, byte[] body)
            throws RejectedRequestException, SQLException, InterruptedException {
        if (path.equals("/healthz")) {
            return new Answer(200, "ok");
        }
        TenantId tenant = tenant(tenantHeader);
        Duration latency = app.latency(tenant);
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
        int failure = app.failure(tenant);
        if (failure != 0) {
            throw new RejectedRequestException(failure, "failure injected for tenant " + tenant);
        }
        if (path.equals("/orders")) {
            return switch (method) {
                case "GET" -> new Answer(200, new Orders(tenant.value(), store.orders(tenant)));
                case "POST" -> new Answer(201, new Written(store.create(tenant, newOrder(body))));
                default -> throw notAllowed(method, path, "GET, POST");
            };
        }
        Matcher m = ORDER_PATH.matcher(path);
        if (!m.matches()) {
            throw new RejectedRequestException(404, "no such path: " + path);
        }
        long id = Long.parseLong(m.group(1));
        switch (method) {
            case "GET" -> {
                return new Answer(200, store.order(tenant, id));
            }
            case "PUT" -> store.update(tenant, id, change(body));
            case "DELETE" -> store.delete(tenant, id);
            default -> throw notAllowed(method, path, "GET, PUT, DELETE");
        }
        return new Answer(200, new Written(id));
    }

    private static TenantId tenant(String header) throws RejectedRequestException {
        if (header == null || header.isBlank()) {
            throw new RejectedRequestException(400, "missing " + RecordingBackend.TENANT_HEADER
                    + " header (the router sets it)");
        }
        if (!TenantId.isValid(header)) {
            throw new RejectedRequestException(400, "invalid tenant in " + RecordingBackend.TENANT_HEADER + ": "
                    + header.substring(0, Math.min(header.length(), 80)));
        }
        return TenantId.of(header);
    }

    private static NewOrder newOrder(byte[] body) throws RejectedRequestException {
        NewOrder order = parse(body, NewOrder.class);
        checkNote(order.note());
        if (order.items() == null || order.items().isEmpty() || order.items().size() > 50) {
            throw new RejectedRequestException(422, "items: an order has 1 to 50 items");
        }
        for (OrderLine line : order.items()) {
            if (line == null || line.sku() == null || line.sku().isEmpty() || line.sku().length() > 40) {
                throw new RejectedRequestException(422, "items: every item needs a sku of 1 to 40 characters");
            }
            if (line.quantity() < 1 || line.quantity() > 1000 || line.priceCents() < 0) {
                throw new RejectedRequestException(422, "items: " + line.sku() + " has quantity " + line.quantity()
                        + " and price " + line.priceCents() + " (expected: quantity 1 to 1000, price >= 0)");
            }
        }
        return order;
    }

    private static OrderChange change(byte[] body) throws RejectedRequestException {
        OrderChange change = parse(body, OrderChange.class);
        if (change.status() == null || !change.status().matches("[a-z_]{1,20}")) {
            throw new RejectedRequestException(422, "status: " + change.status()
                    + " (expected: 1 to 20 lower-case letters or '_')");
        }
        checkNote(change.note());
        return change;
    }

    private static void checkNote(String note) throws RejectedRequestException {
        if (note != null && note.length() > 200) {
            throw new RejectedRequestException(422, "note: " + note.length() + " characters (expected: at most 200)");
        }
    }

    private static <T> T parse(byte[] body, Class<T> type) throws RejectedRequestException {
        try {
            T value = ShopApi.JSON.readValue(body, type);
            if (value == null) {
                throw new RejectedRequestException(400, "missing JSON body (expected: a " + type.getSimpleName() + ")");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new RejectedRequestException(400, "bad JSON body: " + e.getOriginalMessage().lines().findFirst()
                    .orElse(""));
        } catch (IOException e) {
            throw new RejectedRequestException(400, "unreadable body: " + e.getMessage());
        }
    }

    private static RejectedRequestException notAllowed(String method, String path, String allowed) {
        return new RejectedRequestException(405, method + " is not allowed on " + path + " (allowed: " + allowed + ")");
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void sendText(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

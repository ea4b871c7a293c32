package dev.hikkoshi.sandbox.shop;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The sandbox shop's HTTP API as JSON records, shared by the application ({@link ShopApp}), its load
 * ({@link ShopWorkload}) and tests. Every request names its tenant in {@code X-Hikkoshi-Tenant} (set by the
 * router); every response names the site that served it in {@code X-Served-By}.
 * <ul>
 *   <li>{@code GET /orders} — the tenant's latest {@value #LIST_LIMIT} orders, newest first ({@link Orders});</li>
 *   <li>{@code GET /orders/ID} — one order ({@link Order});</li>
 *   <li>{@code POST /orders} with a {@link NewOrder} — 201 and the new order's {@link Written id};</li>
 *   <li>{@code PUT /orders/ID} with an {@link OrderChange} — 200 and the {@link Written id};</li>
 *   <li>{@code DELETE /orders/ID} — the order and its items, 200 and the {@link Written id};</li>
 *   <li>{@code GET /healthz} — 200 without a tenant, for the router's health checks.</li>
 * </ul>
 * Errors answer {@code text/plain} with a one-line message: 400 (no or bad tenant header, bad JSON), 404 (unknown
 * tenant on this site, unknown order, unknown path), 405, 422 (a value out of range), 500 (a database error).
 */
public final class ShopApi {
    /** How many orders {@code GET /orders} returns at most. */
    public static final int LIST_LIMIT = 20;
    /** Shared by the app and its clients; unknown fields are refused, so a typo is a 400, not a silent null. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ShopApi() {
    }

    /** One line of an order. */
    public record OrderLine(String sku, int quantity, int priceCents) {
    }

    /** The body of {@code POST /orders}; {@code customerId} null means the tenant's first customer. */
    public record NewOrder(Long customerId, String note, List<OrderLine> items) {
    }

    /** The body of {@code PUT /orders/ID}: the order's new status and note (null clears the note). */
    public record OrderChange(String status, String note) {
    }

    /** An order as {@code GET} answers it; {@code customerCountry} is read from the shared countries table. */
    public record Order(long id, long customerId, String customerCountry, String status, String note,
                        List<OrderLine> items) {
    }

    /** The answer of {@code GET /orders}. */
    public record Orders(String tenant, List<Order> orders) {
    }

    /** The answer of a write: the id of the order written. */
    public record Written(long id) {
    }
}

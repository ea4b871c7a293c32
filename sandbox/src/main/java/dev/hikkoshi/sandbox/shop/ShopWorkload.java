package dev.hikkoshi.sandbox.shop;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRequest;
import dev.hikkoshi.sandbox.http.LoadResponse;
import dev.hikkoshi.sandbox.http.Workload;
import dev.hikkoshi.sandbox.shop.ShopApi.NewOrder;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderChange;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderLine;
import dev.hikkoshi.sandbox.shop.ShopApi.Written;
import dev.hikkoshi.sandbox.shop.ShopOperation.CreateOrder;
import dev.hikkoshi.sandbox.shop.ShopOperation.DeleteOrder;
import dev.hikkoshi.sandbox.shop.ShopOperation.ListOrders;
import dev.hikkoshi.sandbox.shop.ShopOperation.UpdateOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/**
 * The sandbox shop's load: a seeded mix of reads, creates, updates and deletes of the tenants' orders, sent by a
 * {@link LoadGenerator} (bounded in count and time) through the router, with every request's outcome recorded as
 * a {@link ShopExchange}. The cutover tests and the demo check the records with {@link RoutingInvariant} and
 * {@link AckedWritesCheck}.
 *
 * <pre>{@code
 * ShopWorkload shop = ShopWorkload.create(42);
 * LoadGenerator load = LoadGenerator.target(router).tenants(tenants).addressing(TenantAddressing.host("{tenant}.shop.test"))
 *         .workload(shop).clients(4).maxRequests(2_000).duration(Duration.ofSeconds(20)).build();
 * }</pre>
 *
 * <p>The workload updates and deletes only orders it created and whose every write was acknowledged, and never
 * two requests on one order at once (an order is taken out of its tenant's idle list while a request on it is in
 * flight), so the order in which it started an order's writes is the order in which they took effect. An order
 * whose write failed is left alone from then on: whether that write took effect is unknown.
 *
 * <p>Concurrency: one monitor guards the choice of requests, the idle orders and the records; one workload may be
 * shared by several runs (one per site in a test that plays the router).
 */
public final class ShopWorkload implements Workload {
    private static final String[] STATUSES = {"paid", "shipped", "cancelled", "returned"};

    private final Mix mix;
    private final Random random;
    private final Map<TenantId, ArrayDeque<Long>> idle = new HashMap<>();
    private final List<ShopExchange> exchanges = new ArrayList<>();
    private long written;

    /**
     * The weights of each kind of request; an update or delete for a tenant without an idle order becomes a create.
     */
    public record Mix(int reads, int creates, int updates, int deletes) {
        /** 40% reads, 30% creates, 20% updates, 10% deletes. */
        public static final Mix DEFAULT = new Mix(4, 3, 2, 1);

        public Mix {
            if (reads < 0 || creates < 0 || updates < 0 || deletes < 0 || reads + creates + updates + deletes == 0) {
                throw new IllegalArgumentException("mix weights must be >= 0 with a positive sum, were " + reads + ", "
                        + creates + ", " + updates + ", " + deletes);
            }
        }

        int total() {
            return reads + creates + updates + deletes;
        }

        /** The share of requests that write (creates, updates, deletes), to pace a load by writes a second. */
        public double writeShare() {
            return (double) (creates + updates + deletes) / total();
        }
    }

    private ShopWorkload(long seed, Mix mix) {
        this.mix = mix;
        this.random = new Random(seed);
    }

    /** A workload with the {@link Mix#DEFAULT} mix; {@code seed} makes its choices repeatable. */
    public static ShopWorkload create(long seed) {
        return new ShopWorkload(seed, Mix.DEFAULT);
    }

    public static ShopWorkload create(long seed, Mix mix) {
        return new ShopWorkload(seed, mix);
    }

    @Override
    public synchronized LoadRequest next(TenantId tenant) {
        ShopOperation operation = choose(tenant);
        String json = null;
        String path = "/orders";
        String method = "GET";
        if (operation instanceof CreateOrder create) {
            method = "POST";
            json = json(create.order());
        } else if (operation instanceof UpdateOrder update) {
            method = "PUT";
            path = "/orders/" + update.orderId();
            json = json(update.change());
        } else if (operation instanceof DeleteOrder delete) {
            method = "DELETE";
            path = "/orders/" + delete.orderId();
        }
        return new LoadRequest(method, path, Optional.ofNullable(json),
                (response, body) -> completed(tenant, operation, response, body));
    }

    /** Every request completed so far, in the order they completed. */
    public synchronized List<ShopExchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The writes the shop acknowledged so far. */
    public synchronized List<ShopExchange> acknowledgedWrites() {
        return exchanges.stream().filter(ShopExchange::acknowledgedWrite).toList();
    }

    /** The requests that were not acknowledged (no answer, or not 2xx). */
    public synchronized List<ShopExchange> failures() {
        return exchanges.stream().filter(e -> !e.acknowledged()).toList();
    }

    private ShopOperation choose(TenantId tenant) {
        int pick = random.nextInt(mix.total());
        if (pick < mix.reads()) {
            return new ListOrders();
        }
        pick -= mix.reads();
        ArrayDeque<Long> orders = idle.computeIfAbsent(tenant, t -> new ArrayDeque<>());
        if (pick < mix.creates() || orders.isEmpty()) {
            List<OrderLine> lines = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                lines.add(new OrderLine("SKU-" + (1 + random.nextInt(500)), 1 + random.nextInt(5),
                        100 * (1 + random.nextInt(90))));
            }
            return new CreateOrder(new NewOrder(null, "order " + ++written + " of " + tenant, List.copyOf(lines)));
        }
        long order = orders.removeFirst();
        if (pick < mix.creates() + mix.updates()) {
            return new UpdateOrder(order, new OrderChange(STATUSES[random.nextInt(STATUSES.length)],
                    "change " + ++written + " of " + tenant));
        }
        return new DeleteOrder(order);
    }

    private synchronized void completed(TenantId tenant, ShopOperation operation, LoadResponse response, String body) {
        Optional<String> failure = response.failure();
        OptionalLong orderId = OptionalLong.empty();
        if (operation instanceof UpdateOrder update) {
            orderId = OptionalLong.of(update.orderId());
        } else if (operation instanceof DeleteOrder delete) {
            orderId = OptionalLong.of(delete.orderId());
        }
        if (failure.isEmpty() && !response.ok()) {
            failure = Optional.of(body.lines().findFirst().orElse("(empty body)"));
        }
        if (failure.isEmpty() && operation instanceof CreateOrder) {
            try {
                orderId = OptionalLong.of(ShopApi.JSON.readValue(body, Written.class).id());
            } catch (JsonProcessingException e) {
                failure = Optional.of("unreadable answer: " + body.lines().findFirst().orElse("(empty body)"));
            }
        }
        exchanges.add(new ShopExchange(tenant, operation, orderId, response.servedBy(), response.sentAt(),
                response.answeredAt(), response.status(), failure));
        if (failure.isEmpty() && orderId.isPresent() && !(operation instanceof DeleteOrder)) {
            idle.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(orderId.getAsLong());
        }
    }

    private static String json(Object value) {
        try {
            return ShopApi.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }
}

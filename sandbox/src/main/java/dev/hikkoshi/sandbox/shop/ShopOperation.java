package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.sandbox.shop.ShopApi.NewOrder;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderChange;

/** What one request of a {@link ShopWorkload} asked the shop to do; recorded in each {@link ShopExchange}. */
public sealed interface ShopOperation {
    /** Whether the operation changes the tenant's rows. */
    default boolean write() {
        return !(this instanceof ListOrders);
    }

    /** {@code GET /orders}. */
    record ListOrders() implements ShopOperation {
    }

    /** {@code POST /orders}: the order's id is known only from the answer ({@link ShopExchange#orderId()}). */
    record CreateOrder(NewOrder order) implements ShopOperation {
    }

    /** {@code PUT /orders/ID}. */
    record UpdateOrder(long orderId, OrderChange change) implements ShopOperation {
    }

    /** {@code DELETE /orders/ID}. */
    record DeleteOrder(long orderId) implements ShopOperation {
    }
}

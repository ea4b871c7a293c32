package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderLine;
import dev.hikkoshi.sandbox.shop.ShopOperation.CreateOrder;
import dev.hikkoshi.sandbox.shop.ShopOperation.DeleteOrder;
import dev.hikkoshi.sandbox.shop.ShopOperation.UpdateOrder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that every write the shop acknowledged is on a tenant's final site, with the acknowledged values: each
 * order a {@link ShopWorkload} created and did not delete is there, in the right tenant, with the status and note
 * of its last acknowledged write and the items it was created with; each order it deleted is gone, items too. It
 * reads the database with its own SQL, not the shop's. The cutover acceptance tests run it after every move.
 *
 * <p>An order with a write that was not acknowledged is not judged (whether that write took effect is unknown;
 * the workload leaves such an order alone and {@link RoutingInvariant} reports the failure); {@link Report} counts
 * them.
 */
public final class AckedWritesCheck {
    private static final int IDS_PER_QUERY = 500;

    private AckedWritesCheck() {
    }

    /**
     * What one check found.
     *
     * @param ordersChecked      orders whose expected state was compared with the database
     * @param ordersUnverifiable orders skipped because one of their writes was not acknowledged
     * @param violations         every difference found
     */
    public record Report(int ordersChecked, int ordersUnverifiable, List<Violation> violations) {
        public Report {
            violations = List.copyOf(violations);
        }
    }

    /** What the workload's acknowledged writes say one order must look like. */
    private record Expected(TenantId tenant, long orderId, boolean present, String status, String note,
                            List<OrderLine> items, ShopExchange last) {
    }

    /** The acknowledged writes of {@code tenants} in {@code exchanges}, checked on {@code database}. */
    public static Report check(List<ShopExchange> exchanges, Collection<TenantId> tenants, SandboxSchema database)
            throws SQLException {
        Set<TenantId> wanted = Set.copyOf(tenants);
        Map<Long, List<ShopExchange>> byOrder = new LinkedHashMap<>();
        exchanges.stream().filter(e -> wanted.contains(e.tenant()) && e.operation().write() && e.orderId().isPresent())
                .sorted(Comparator.comparing(ShopExchange::startedAt))
                .forEach(e -> byOrder.computeIfAbsent(e.orderId().getAsLong(), id -> new ArrayList<>()).add(e));
        List<Expected> expected = new ArrayList<>();
        int unverifiable = 0;
        for (Map.Entry<Long, List<ShopExchange>> order : byOrder.entrySet()) {
            if (order.getValue().stream().allMatch(ShopExchange::acknowledged)) {
                expected(order.getKey(), order.getValue()).ifPresent(expected::add);
            } else {
                unverifiable++;
            }
        }
        String where = database.server().name() + " (" + database.name() + ")";
        List<Violation> violations = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (int from = 0; from < expected.size(); from += IDS_PER_QUERY) {
                List<Expected> chunk = expected.subList(from, Math.min(expected.size(), from + IDS_PER_QUERY));
                compare(s, chunk, where, violations);
            }
        }
        return new Report(expected.size(), unverifiable, violations);
    }

    /** Folds one order's acknowledged writes (in the order they started) into its expected state. */
    private static Optional<Expected> expected(long id, List<ShopExchange> writes) {
        Expected state = null;
        for (ShopExchange w : writes) {
            if (w.operation() instanceof CreateOrder create) {
                List<OrderLine> items = create.order().items().stream().sorted(LINE_ORDER).toList();
                state = new Expected(w.tenant(), id, true, "new", create.order().note(), items, w);
            } else if (state == null) {
                // Only orders this workload created are updated or deleted by it; without the create, skip.
                return Optional.empty();
            } else if (w.operation() instanceof UpdateOrder update) {
                state = new Expected(w.tenant(), id, true, update.change().status(), update.change().note(),
                        state.items(), w);
            } else if (w.operation() instanceof DeleteOrder) {
                state = new Expected(w.tenant(), id, false, null, null, List.of(), w);
            }
        }
        return Optional.ofNullable(state);
    }

    private static final Comparator<OrderLine> LINE_ORDER = Comparator.comparing(OrderLine::sku)
            .thenComparingInt(OrderLine::quantity).thenComparingInt(OrderLine::priceCents);

    /** One stored order: its tenant's name and values. */
    private record Stored(String tenant, String status, String note) {
    }

    private static void compare(Statement s, List<Expected> chunk, String where, List<Violation> violations)
            throws SQLException {
        String ids = chunk.stream().map(e -> String.valueOf(e.orderId())).collect(Collectors.joining(","));
        Map<Long, Stored> orders = new HashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT o.id, t.slug, o.status, o.note FROM orders o"
                + " LEFT JOIN tenants t ON t.id = o.tenant_id WHERE o.id IN (" + ids + ")")) {
            while (rs.next()) {
                orders.put(rs.getLong(1), new Stored(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        Map<Long, List<OrderLine>> items = new HashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT order_id, sku, quantity, price_cents FROM order_items"
                + " WHERE order_id IN (" + ids + ")")) {
            while (rs.next()) {
                items.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                        .add(new OrderLine(rs.getString(2), rs.getInt(3), rs.getInt(4)));
            }
        }
        for (Expected e : chunk) {
            Stored stored = orders.get(e.orderId());
            List<OrderLine> lines = items.getOrDefault(e.orderId(), List.of()).stream().sorted(LINE_ORDER).toList();
            String subject = "order " + e.orderId() + " on " + where + ", last acknowledged write: " + e.last();
            if (!e.present()) {
                if (stored != null || !lines.isEmpty()) {
                    violations.add(new Violation(e.tenant(), subject + ": deleted, yet "
                            + (stored != null ? "the order" : lines.size() + " item(s)") + " still there"));
                }
                continue;
            }
            if (stored == null) {
                violations.add(new Violation(e.tenant(), subject + ": missing"));
                continue;
            }
            List<String> differences = new ArrayList<>();
            if (!e.tenant().value().equals(stored.tenant())) {
                differences.add("tenant " + stored.tenant() + ", expected " + e.tenant());
            }
            if (!e.status().equals(stored.status())) {
                differences.add("status " + stored.status() + ", expected " + e.status());
            }
            if (!Objects.equals(e.note(), stored.note())) {
                differences.add("note '" + stored.note() + "', expected '" + e.note() + "'");
            }
            if (!e.items().equals(lines)) {
                differences.add("items " + lines + ", expected " + e.items());
            }
            if (!differences.isEmpty()) {
                violations.add(new Violation(e.tenant(), subject + ": " + String.join("; ", differences)));
            }
        }
    }
}

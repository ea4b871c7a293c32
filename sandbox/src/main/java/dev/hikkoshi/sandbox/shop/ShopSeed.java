package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Sample rows for the sandbox shop ({@link ShopSchema}): every site gets the shared {@code countries}
 * ({@link #countries}); the site tenants start on gets, per tenant, a {@code tenants} row,
 * {@code customersPerTenant} customers, {@code ordersPerCustomer} orders each and {@code itemsPerOrder} items per
 * order ({@link #apply}). Ids come from {@code AUTO_INCREMENT}, so the server's interleaving applies to them too.
 * Used by the shop's tests, the cutover tests and the demo.
 *
 * @param skew how customers spread over the tenants: all alike, or a long tail as real shops have
 */
public record ShopSeed(int customersPerTenant, int ordersPerCustomer, int itemsPerOrder, Skew skew) {
    /** How tenant sizes differ. */
    public enum Skew {
        /** Every tenant gets {@code customersPerTenant} customers. */
        EVEN,
        /**
         * The i-th tenant (from 1, in the order given) gets ceil(customersPerTenant / i) customers: one large
         * tenant and a long tail of small ones, the shape that decides whether a move fits its freeze limit.
         */
        ZIPF
    }

    /** The shared reference rows, the same on every site. */
    public static final List<String> COUNTRIES = List.of("JP", "US", "DE", "FR", "BR");
    private static final String COUNTRY_ROWS =
            "('JP', 'Japan'), ('US', 'United States'), ('DE', 'Germany'), ('FR', 'France'), ('BR', 'Brazil')";

    public ShopSeed(int customersPerTenant, int ordersPerCustomer, int itemsPerOrder) {
        this(customersPerTenant, ordersPerCustomer, itemsPerOrder, Skew.EVEN);
    }

    public ShopSeed {
        Objects.requireNonNull(skew, "skew");
        if (customersPerTenant < 1 || ordersPerCustomer < 0 || itemsPerOrder < 1
                || customersPerTenant > 1000 || ordersPerCustomer > 1000 || itemsPerOrder > 50) {
            throw new IllegalArgumentException("seed sizes out of range: " + customersPerTenant + " customers (1 to "
                    + "1000), " + ordersPerCustomer + " orders each (0 to 1000), " + itemsPerOrder
                    + " items per order (1 to 50)");
        }
    }

    /** A small default: 2 customers per tenant, 3 orders each, 2 items per order. */
    public static ShopSeed small() {
        return new ShopSeed(2, 3, 2);
    }

    /** This seed with tenant sizes spread by {@code skew}. */
    public ShopSeed skewed(Skew skew) {
        return new ShopSeed(customersPerTenant, ordersPerCustomer, itemsPerOrder, skew);
    }

    /** The customers the {@code index}-th tenant (from 0, in the order given to {@link #apply}) gets. */
    public int customers(int index) {
        return switch (skew) {
            case EVEN -> customersPerTenant;
            case ZIPF -> (customersPerTenant + index) / (index + 1);
        };
    }

    /** {@code count} tenant names, {@code shop-001} and up, for loads over many tenants. */
    public static List<TenantId> tenantNames(int count) {
        if (count < 1 || count > 999) {
            throw new IllegalArgumentException("tenant count must be 1 to 999, was " + count);
        }
        return IntStream.rangeClosed(1, count).mapToObj(i -> TenantId.of(String.format("shop-%03d", i))).toList();
    }

    /** Inserts the shared {@code countries} rows; run on every site. */
    public static void countries(SandboxSchema schema) {
        schema.execute("INSERT INTO countries (code, name) VALUES " + COUNTRY_ROWS);
    }

    /** Inserts the countries and the rows of {@code tenants} (new names) on the site they start on. */
    public void apply(SandboxSchema schema, List<TenantId> tenants) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("no tenants to seed");
        }
        StringBuilder tenantRows = new StringBuilder();
        for (int i = 0; i < tenants.size(); i++) {
            String slug = tenants.get(i).value();
            tenantRows.append(i == 0 ? "" : ", ").append("('").append(slug).append("', 'Shop ").append(slug)
                    .append("', '").append(COUNTRIES.get(i % COUNTRIES.size())).append("')");
        }
        schema.execute(
                "INSERT INTO countries (code, name) VALUES " + COUNTRY_ROWS,
                "INSERT INTO tenants (slug, name, country) VALUES " + tenantRows);
        // One statement per group of tenants of the same size: a handful even for a long tail.
        Map<Integer, List<TenantId>> bySize = new TreeMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            bySize.computeIfAbsent(customers(i), n -> new ArrayList<>()).add(tenants.get(i));
        }
        bySize.forEach((customers, group) -> rows(schema, group, customers));
    }

    private void rows(SandboxSchema schema, List<TenantId> tenants, int customers) {
        // Tenant names are TenantIds (letters, digits, '_', '.', '-'), safe inside quotes.
        String slugs = tenants.stream().map(t -> "'" + t.value() + "'").collect(Collectors.joining(", "));
        schema.execute(
                "INSERT INTO customers (tenant_id, name, email, country) SELECT t.id, CONCAT('customer ', n.i),"
                        + " CONCAT('c', n.i, '@', t.slug, '.example'), t.country FROM tenants t JOIN "
                        + numbers(customers) + " WHERE t.slug IN (" + slugs + ") ORDER BY t.id, n.i",
                "INSERT INTO orders (tenant_id, customer_id, status, note, placed_at, updated_at)"
                        + " SELECT c.tenant_id, c.id, 'new', CONCAT('seed order ', n.i, ' of ', c.email),"
                        + " TIMESTAMP '2024-04-01 09:00:00' + INTERVAL c.id HOUR,"
                        + " TIMESTAMP '2024-04-01 09:00:00' + INTERVAL c.id HOUR"
                        + " FROM customers c JOIN tenants t ON t.id = c.tenant_id JOIN " + numbers(ordersPerCustomer)
                        + " WHERE t.slug IN (" + slugs + ") ORDER BY c.id, n.i",
                "INSERT INTO order_items (order_id, sku, quantity, price_cents) SELECT o.id, CONCAT('SKU-', n.i), n.i,"
                        + " 100 * n.i + o.id % 100 FROM orders o JOIN tenants t ON t.id = o.tenant_id JOIN "
                        + numbers(itemsPerOrder) + " WHERE t.slug IN (" + slugs + ") ORDER BY o.id, n.i");
    }

    /** A derived table {@code n} of the numbers 1 to {@code count} (none when 0), in SQL any MySQL knows. */
    private static String numbers(int count) {
        if (count == 0) {
            return "(SELECT 1 AS i FROM DUAL WHERE 1 = 0) n";
        }
        return IntStream.rangeClosed(1, count).mapToObj(i -> "SELECT " + i + " AS i")
                .collect(Collectors.joining(" UNION ALL ", "(", ") n"));
    }
}

package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.util.List;

/**
 * The sandbox shop's tables, as the shop application ({@link ShopApp}), its load ({@link ShopWorkload}), the
 * cutover tests and the demo know them:
 * <ul>
 *   <li>{@code tenants} — keyed by its own {@code id}, named by {@code slug} (the tenant's name in requests);</li>
 *   <li>{@code customers} and {@code orders} — a {@code tenant_id} column;</li>
 *   <li>{@code order_items} — no tenant column: its tenant is reached through {@code order_id -> orders.id};</li>
 *   <li>{@code countries} — shared reference data, the same rows on every site.</li>
 * </ul>
 * Every key is {@code AUTO_INCREMENT} and nothing else picks ids, so the servers' {@code auto_increment_increment}
 * and {@code auto_increment_offset} decide them: interleaved between sites, new rows never collide. There are no
 * foreign keys (the application keeps its references itself, as many legacy applications do), and the column
 * types stay within what MySQL 5.0 knows (no fractional seconds), so the legacy-like server takes the same DDL.
 * The matching {@code data:} section of a config is {@link #DATA_CONFIG}.
 */
public final class ShopSchema {
    /** The statements creating the tables, in order; the tables are utf8mb4 InnoDB whatever the server default. */
    public static final List<String> DDL = List.of(
            "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(60) NOT NULL)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE tenants (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, slug VARCHAR(63) NOT NULL,"
                    + " name VARCHAR(100) NOT NULL, country CHAR(2) NOT NULL, UNIQUE KEY uk_tenants_slug (slug))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE customers (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                    + " name VARCHAR(100) NOT NULL, email VARCHAR(120) NOT NULL, country CHAR(2) NOT NULL,"
                    + " KEY ix_customers_tenant (tenant_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                    + " customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, note VARCHAR(200) NULL,"
                    + " placed_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,"
                    + " KEY ix_orders_tenant (tenant_id, id), KEY ix_orders_customer (customer_id))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE order_items (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL,"
                    + " sku VARCHAR(40) NOT NULL, quantity INT NOT NULL, price_cents INT NOT NULL,"
                    + " KEY ix_order_items_order (order_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

    /** The tables in the order {@link #DDL} creates them. */
    public static final List<String> TABLES = List.of("countries", "tenants", "customers", "orders", "order_items");

    /** The {@code data:} config section classifying the tables, for tests and the demo that move shop tenants. */
    public static final String DATA_CONFIG = """
            data:
              tenant-column: tenant_id
              tables:
                tenants: { tenant-column: id }
                order_items: { via: "order_id -> orders.id" }
                countries: { shared: { writer: legacy } }
            """;

    private ShopSchema() {
    }

    /** Creates the tables in {@code schema}, which must exist and be empty. */
    public static void create(SandboxSchema schema) {
        schema.execute(DDL.toArray(String[]::new));
    }
}

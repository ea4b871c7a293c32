package dev.hikkoshi.sandbox.shop;

import static dev.hikkoshi.sandbox.shop.ShopClient.send;
import static dev.hikkoshi.sandbox.shop.ShopClient.servedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.db.SharedServers;
import dev.hikkoshi.sandbox.shop.ShopApi.Order;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderLine;
import dev.hikkoshi.sandbox.shop.ShopApi.Orders;
import dev.hikkoshi.sandbox.shop.ShopApi.Written;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class ShopAppIT {
    static final SiteId LEGACY = ShopSites.LEGACY;
    static final SiteId CLOUD = ShopSites.CLOUD;
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    /** Legacy (the source server) takes odd ids, cloud (the target) even ones, from here on. */
    @BeforeAll
    static void interleave() {
        SharedServers.pair().source().interleaveAutoIncrement(2, 1);
        SharedServers.pair().target().interleaveAutoIncrement(2, 2);
    }

    static void createShops(SchemaPair pair, List<TenantId> tenants) {
        ShopSchema.create(pair.source());
        ShopSchema.create(pair.target());
        ShopSeed.small().apply(pair.source(), tenants);
        ShopSeed.countries(pair.target());
    }

    @Test
    void everyOperation_isServedAndNamesTheSite(SchemaPair pair) throws Exception {
        createShops(pair, List.of(ACME, GLOBEX));
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source())) {
            HttpResponse<String> list = send(legacy, "acme", "GET", "/orders", null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(servedBy(list)).isEqualTo("legacy");
            Orders seeded = ShopApi.JSON.readValue(list.body(), Orders.class);
            // The small seed: 2 customers with 3 orders each, 2 items per order; customers' country from countries.
            assertThat(seeded.tenant()).isEqualTo("acme");
            assertThat(seeded.orders()).hasSize(6).allSatisfy(o -> {
                assertThat(o.items()).hasSize(2);
                assertThat(o.customerCountry()).isEqualTo("Japan");
            });

            HttpResponse<String> created = send(legacy, "acme", "POST", "/orders",
                    "{\"note\":\"ご注文 ✓\",\"items\":[{\"sku\":\"A-1\",\"quantity\":2,\"priceCents\":150}]}");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(servedBy(created)).isEqualTo("legacy");
            long id = ShopApi.JSON.readValue(created.body(), Written.class).id();
            assertThat(id % 2).as("legacy's ids are odd").isEqualTo(1);

            Order read = ShopApi.JSON.readValue(send(legacy, "acme", "GET", "/orders/" + id, null).body(), Order.class);
            assertThat(read.status()).isEqualTo("new");
            assertThat(read.note()).isEqualTo("ご注文 ✓");
            assertThat(read.items()).containsExactly(new OrderLine("A-1", 2, 150));

            HttpResponse<String> updated = send(legacy, "acme", "PUT", "/orders/" + id,
                    "{\"status\":\"paid\",\"note\":\"left at the door\"}");
            assertThat(updated.statusCode()).isEqualTo(200);
            assertThat(servedBy(updated)).isEqualTo("legacy");
            assertThat(row(pair, "SELECT CONCAT(status, '|', note) FROM orders WHERE id = " + id))
                    .isEqualTo("paid|left at the door");

            // Another tenant cannot see, change or delete acme's order.
            assertThat(send(legacy, "globex", "GET", "/orders/" + id, null).body())
                    .isEqualTo("no order " + id + " of tenant globex\n");
            assertThat(send(legacy, "globex", "DELETE", "/orders/" + id, null).statusCode()).isEqualTo(404);
            assertThat(send(legacy, "globex", "PUT", "/orders/" + id, "{\"status\":\"paid\",\"note\":null}")
                    .statusCode()).isEqualTo(404);

            HttpResponse<String> deleted = send(legacy, "acme", "DELETE", "/orders/" + id, null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(servedBy(deleted)).isEqualTo("legacy");
            assertThat(row(pair, "SELECT COUNT(*) FROM orders WHERE id = " + id)).isEqualTo("0");
            assertThat(row(pair, "SELECT COUNT(*) FROM order_items WHERE order_id = " + id)).isEqualTo("0");
            HttpResponse<String> gone = send(legacy, "acme", "GET", "/orders/" + id, null);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(servedBy(gone)).isEqualTo("legacy");
        }
    }

    @Test
    @LegacyLikeSource
    void legacyLikeServer_takesTheSameSchema_andKeepsUnicodeNotes(SchemaPair pair) throws Exception {
        try (ShopSites sites = ShopSites.start(pair.source(), pair.target(), List.of(ACME), ShopSeed.small())) {
            HttpResponse<String> created = send(sites.legacy(), "acme", "POST", "/orders",
                    "{\"note\":\"お届けは午前中 🚚\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"priceCents\":5}]}");
            assertThat(created.statusCode()).isEqualTo(201);
            long id = ShopApi.JSON.readValue(created.body(), Written.class).id();
            assertThat(id % 2).isEqualTo(1);
            Order read = ShopApi.JSON.readValue(send(sites.legacy(), "acme", "GET", "/orders/" + id, null).body(),
                    Order.class);
            assertThat(read.note()).isEqualTo("お届けは午前中 🚚");
            assertThat(row(pair, "SELECT @@character_set_server")).isEqualTo("latin1");
        }
    }

    @Test
    void newOrders_onTwoInterleavedSites_takeIdsThatCannotCollide(SchemaPair pair) throws Exception {
        createShops(pair, List.of(ACME));
        TenantCopy.copy(pair.source(), pair.target(), ACME);
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source()); ShopApp cloud = ShopApp.start(CLOUD, pair.target())) {
            String order = "{\"note\":null,\"items\":[{\"sku\":\"B\",\"quantity\":1,\"priceCents\":0}]}";
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> onLegacy = send(legacy, "acme", "POST", "/orders", order);
                HttpResponse<String> onCloud = send(cloud, "acme", "POST", "/orders", order);
                assertThat(servedBy(onCloud)).isEqualTo("cloud");
                assertThat(ShopApi.JSON.readValue(onLegacy.body(), Written.class).id() % 2).isEqualTo(1);
                assertThat(ShopApi.JSON.readValue(onCloud.body(), Written.class).id() % 2).isZero();
            }
        }
    }

    @Test
    void addedLatency_slowsOnlyThatTenant(SchemaPair pair) throws Exception {
        createShops(pair, List.of(ACME, GLOBEX));
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source())) {
            send(legacy, "globex", "GET", "/orders", null);
            legacy.addLatency(ACME, Duration.ofMillis(1_500));
            long start = System.nanoTime();
            assertThat(send(legacy, "acme", "GET", "/orders", null).statusCode()).isEqualTo(200);
            long acmeMillis = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            assertThat(send(legacy, "globex", "GET", "/orders", null).statusCode()).isEqualTo(200);
            long globexMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(acmeMillis).isGreaterThanOrEqualTo(1_500);
            assertThat(globexMillis).isLessThan(1_500);

            legacy.addLatency(ACME, Duration.ZERO);
            start = System.nanoTime();
            send(legacy, "acme", "GET", "/orders", null);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
        }
    }

    @Test
    void injectedFailure_answersThatStatusForThatTenantOnly(SchemaPair pair) throws Exception {
        createShops(pair, List.of(ACME, GLOBEX));
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source())) {
            legacy.failRequests(ACME, 503);
            HttpResponse<String> failed = send(legacy, "acme", "GET", "/orders", null);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).isEqualTo("failure injected for tenant acme\n");
            assertThat(servedBy(failed)).isEqualTo("legacy");
            assertThat(send(legacy, "globex", "GET", "/orders", null).statusCode()).isEqualTo(200);
            legacy.failRequests(ACME, 0);
            assertThat(send(legacy, "acme", "GET", "/orders", null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> legacy.failRequests(ACME, 404)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("status must be 500 to 599 (or 0 to stop), was 404");
        }
    }

    @Test
    void badRequests_getOneLineErrors(SchemaPair pair) throws Exception {
        createShops(pair, List.of(ACME));
        try (ShopApp cloud = ShopApp.start(CLOUD, pair.target())) {
            assertError(send(cloud, null, "GET", "/orders", null), 400,
                    "missing X-Hikkoshi-Tenant header (the router sets it)");
            assertError(send(cloud, "bad tenant", "GET", "/orders", null), 400,
                    "invalid tenant in X-Hikkoshi-Tenant: bad tenant");
            // acme's rows are on legacy only: the cloud shop refuses it rather than serve an empty shop.
            assertError(send(cloud, "acme", "GET", "/orders", null), 404, "unknown tenant acme on this site");
            HttpResponse<String> health = send(cloud, null, "GET", "/healthz", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(servedBy(health)).isEqualTo("cloud");
        }
        try (ShopApp legacy = ShopApp.start(LEGACY, pair.source())) {
            assertError(send(legacy, "acme", "GET", "/cart", null), 404, "no such path: /cart");
            assertError(send(legacy, "acme", "PATCH", "/orders/1", "{}"), 405,
                    "PATCH is not allowed on /orders/1 (allowed: GET, PUT, DELETE)");
            assertError(send(legacy, "acme", "POST", "/orders", "{\"nope\":1}"), 400,
                    "bad JSON body: Unrecognized field \"nope\" (class dev.hikkoshi.sandbox.shop.ShopApi$NewOrder),"
                            + " not marked as ignorable");
            assertError(send(legacy, "acme", "POST", "/orders", "{\"note\":\"x\",\"items\":[]}"), 422,
                    "items: an order has 1 to 50 items");
            assertError(send(legacy, "acme", "POST", "/orders",
                    "{\"customerId\":999999,\"note\":\"x\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"priceCents\":1}]}"),
                    422, "customer 999999 is not a customer of acme");
            assertError(send(legacy, "acme", "PUT", "/orders/1", "{\"status\":\"Paid!\",\"note\":null}"), 422,
                    "status: Paid! (expected: 1 to 20 lower-case letters or '_')");
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(message + "\n");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    }

    private static String row(SchemaPair pair, String sql) throws Exception {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

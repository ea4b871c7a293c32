package dev.hikkoshi.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Config reload end to end: a broken file keeps the old config serving and reports every problem. */
@Timeout(60)
class ReloadIT {
    @TempDir
    Path dir;
    RouterFixture fx;
    Router router;

    @BeforeEach
    void start() throws Exception {
        fx = new RouterFixture(dir);
        router = fx.start("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: legacy
                """);
    }

    @AfterEach
    void stop() {
        router.close();
        fx.close();
    }

    @Test
    void reload_brokenFile_keepsTheOldConfigAndReportsEveryProblem() throws Exception {
        Files.writeString(fx.configFile, fx.config("""
                  tenant-from: [ { host: "shop.test" }, { header: X-Tenant } ]
                  unknown-tenant: elsewhere
                  freeze: { max-hold: soon }
                """));
        assertThatThrownBy(router::reload)
                .isInstanceOf(ConfigException.class)
                .hasMessage("config " + fx.configFile + " has 4 problems:\n"
                        + "  router.tenant-from[0].host: shop.test (expected: a host name with one {tenant} label, such as {tenant}.shop.example.com)\n"
                        + "  router.tenant-from[1].trusted-clients: (missing) (expected: a list of the CIDR blocks whose header is believed, such as [10.0.5.0/24] ([0.0.0.0/0, ::/0] believes everyone))\n"
                        + "  router.unknown-tenant: elsewhere (expected: a site defined under sites: legacy, cloud)\n"
                        + "  router.freeze.max-hold: soon (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)");
        RawClient.Response r = RawClient.get(router.proxyAddress(), "nobody.shop.test", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Served-By")).isEqualTo("legacy");
        assertThat(RawClient.get(router.proxyAddress(), "acme.shop.test", "/").header("X-Served-By")).isEqualTo("legacy");
    }

    @Test
    void reload_validFile_appliesNewRulesAtOnce() throws Exception {
        Files.writeString(fx.configFile, fx.config("""
                  tenant-from: [ { path: "/t/{tenant}/", strip: true } ]
                  unknown-tenant: reject
                """));
        assertThat(router.reload()).isEqualTo("applied tenant-from, trusted-proxies, tenants, unknown-tenant and"
                + " freeze from " + fx.configFile);
        assertThat(RawClient.get(router.proxyAddress(), "nobody.shop.test", "/").status()).isEqualTo(404);
        assertThat(RawClient.get(router.proxyAddress(), "www.shop.test", "/t/acme/x").status()).isEqualTo(503);
        router.control().push(new RoutingTable(1, Map.of(TenantId.of("acme"), Placement.at(RouterFixture.CLOUD))));
        assertThat(RawClient.get(router.proxyAddress(), "www.shop.test", "/t/acme/x").header("X-Served-By"))
                .isEqualTo("cloud");
    }

    @Test
    void reload_droppingASiteTheTableUses_isRefused() throws Exception {
        router.control().push(new RoutingTable(1, Map.of(TenantId.of("acme"), Placement.at(RouterFixture.CLOUD))));
        String withoutCloud = fx.config("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: legacy
                """).replaceAll("(?m)^  cloud: .*\\n", "");
        Files.writeString(fx.configFile, withoutCloud);
        assertThatThrownBy(router::reload)
                .isInstanceOf(ConfigException.class)
                .hasMessage("config " + fx.configFile + " has 1 problem:\n"
                        + "  sites.cloud: (removed) (expected: site cloud kept while the routing table places tenants on it: acme)");
        assertThat(RawClient.get(router.proxyAddress(), "acme.shop.test", "/").header("X-Served-By")).isEqualTo("cloud");
    }

    @Test
    void reload_throughTheAdminApi_withTokenOnly() throws Exception {
        Files.writeString(fx.configFile, fx.config("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: elsewhere
                """));
        assertThat(router.adminAddress().getAddress().isLoopbackAddress()).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        URI reload = URI.create("http://127.0.0.1:" + router.adminAddress().getPort() + "/reload");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(reload)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(reload)
                .header("Authorization", "Bearer " + RouterFixture.ENV.get("ROUTER_TOKEN"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("router.unknown-tenant: elsewhere (expected: a site defined under sites: legacy, cloud)");
        router.control().push(new RoutingTable(4, Map.of(TenantId.of("acme"), new Placement(RouterFixture.CLOUD, false))));
        HttpResponse<String> table = http.send(HttpRequest.newBuilder(reload.resolve("/table"))
                .header("Authorization", "Bearer " + RouterFixture.ENV.get("ROUTER_TOKEN")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.body().replaceAll("\\s", "")).isEqualTo(
                "{\"version\":4,\"placements\":{\"acme\":{\"site\":\"cloud\",\"frozen\":false}}}");
        assertThat(RawClient.get(router.proxyAddress(), "nobody.shop.test", "/").header("X-Served-By")).isEqualTo("legacy");
    }
}

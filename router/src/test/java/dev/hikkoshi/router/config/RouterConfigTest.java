package dev.hikkoshi.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.proxy.ProxySettings;
import dev.hikkoshi.router.site.Balance;
import dev.hikkoshi.router.site.EjectionSettings;
import dev.hikkoshi.router.site.HealthCheckSettings;
import dev.hikkoshi.router.site.SitePoolSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    private static RouterConfig load(String yaml) {
        return RouterConfig.load(ConfigDocument.parse(Path.of("test.yaml"), yaml,
                Map.of("TOKEN", "t0ken", "EMPTY", "")));
    }

    @Test
    void load_fullRouterSection_bindsEveryKey() throws Exception {
        RouterConfig c = load("""
                sites:
                  legacy:
                    upstreams: [http://127.0.0.1:3000, "http://[::1]:3001"]
                    balance: least-connections
                    health: { path: /healthz, interval: 1s, timeout: 200ms, healthy: 1, unhealthy: 2 }
                    ejection: { connect-failures: 2, consecutive-5xx: 4, base-time: 5s, max-time: 20s, max-ejected-percent: 30 }
                  cloud: { upstreams: [http://cloud.internal] }
                tenants: { list: [ { name: acme, id: 1 } ] }
                state-dir: /tmp/st
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: TOKEN } } }
                  trusted-proxies: [10.0.0.0/16, "::1"]
                  tenant-from:
                    - { host: "{tenant}.shop.example.com" }
                    - { path: "/t/{tenant}/", strip: true }
                    - { header: X-Tenant, trusted-clients: [10.0.5.0/24] }
                    - { cookie: tenant, trusted-clients: [127.0.0.1] }
                    - { query: tenant, trusted-clients: [] }
                  unknown-tenant: legacy
                  tenant-header: X-Tenant-Resolved
                  timeouts: { connect: 1s, response-header: 2s, io-idle: 3s, client-idle: 4s, header-read: 5s }
                  limits: { max-request-line: 4KiB, max-header-size: 16KiB, max-headers: 50, max-body: 10MiB }
                  pool: { max-connections-per-upstream: 8, max-pending: 16, idle-timeout: 2s, connect-attempts: 2, stale-retries: 0 }
                  io-threads: 2
                  freeze: { max-held-per-tenant: 10, max-held-bytes-per-tenant: 1MiB, max-hold: 3s, drain-grace: 1s }
                  access-log: false
                """);
        assertThat(c.proxy().listen().getPort()).isZero();
        assertThat(c.proxy()).isEqualTo(ProxySettings.defaults().toBuilder().listen(c.proxy().listen())
                .connectTimeout(Duration.ofSeconds(1)).responseHeaderTimeout(Duration.ofSeconds(2))
                .ioIdleTimeout(Duration.ofSeconds(3)).clientIdleTimeout(Duration.ofSeconds(4))
                .headerReadTimeout(Duration.ofSeconds(5)).maxInitialLineBytes(4096).maxHeaderBytes(16384)
                .maxHeaderCount(50).maxBodyBytes(10L << 20).maxConnectionsPerUpstream(8).maxPendingAcquires(16)
                .upstreamIdleTimeout(Duration.ofSeconds(2)).maxConnectAttempts(2).maxStaleRetries(0).ioThreads(2)
                .tenantHeader("X-Tenant-Resolved").accessLog(false).build());
        assertThat(c.admin().tokens().names()).containsExactly("controller");
        assertThat(c.admin().tokens().nameOf("t0ken")).contains("controller");
        assertThat(c.admin().toString()).doesNotContain("t0ken");
        assertThat(c.trustedProxies().contains(InetAddress.getByName("10.0.200.1"))).isTrue();
        assertThat(c.trustedProxies().contains(InetAddress.getByName("10.1.0.1"))).isFalse();
        assertThat(c.trustedProxies().contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(c.tenantFrom()).hasSize(5);
        assertThat(c.tenantFrom().get(0)).isEqualTo(new TenantRule.Host("{tenant}.shop.example.com"));
        assertThat(c.tenantFrom().get(1)).isEqualTo(new TenantRule.Path("/t/{tenant}/", true));
        assertThat(c.tenantFrom().get(2)).isInstanceOf(TenantRule.Header.class);
        assertThat(c.unknownTenantSite()).contains(SiteId.of("legacy"));
        assertThat(c.freeze()).isEqualTo(new FreezeConfig(10, ByteSize.ofMiB(1), Duration.ofSeconds(3), Duration.ofSeconds(1)));
        SitePoolSettings legacy = c.site(SiteId.of("legacy")).orElseThrow();
        assertThat(legacy.upstreams()).extracting(u -> u.authority()).containsExactly("127.0.0.1:3000", "[::1]:3001");
        assertThat(legacy.balance()).isEqualTo(Balance.LEAST_CONNECTIONS);
        assertThat(legacy.health()).contains(new HealthCheckSettings("/healthz", Duration.ofSeconds(1), Duration.ofMillis(200), 1, 2));
        assertThat(legacy.ejection()).isEqualTo(new EjectionSettings(2, 4, Duration.ofSeconds(5), Duration.ofSeconds(20), 30));
        SitePoolSettings cloud = c.site(SiteId.of("cloud")).orElseThrow();
        assertThat(cloud.upstreams()).extracting(u -> u.authority()).containsExactly("cloud.internal:80");
        assertThat(cloud.balance()).isEqualTo(Balance.ROUND_ROBIN);
        assertThat(cloud.health()).isEmpty();
        assertThat(cloud.ejection()).isEqualTo(EjectionSettings.defaults());
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/st"));
    }

    @Test
    void load_minimalRouterSection_usesDefaults() {
        RouterConfig c = load("""
                sites: { legacy: { upstreams: [http://127.0.0.1:3000] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router:
                  admin: { tokens: { ops: { env: TOKEN } } }
                  tenant-from: [ { host: "{tenant}.example.com" } ]
                """);
        assertThat(c.proxy()).isEqualTo(ProxySettings.defaults());
        assertThat(c.admin().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8081));
        assertThat(c.unknownTenantSite()).isEqualTo(Optional.empty());
        assertThat(c.freeze()).isEqualTo(FreezeConfig.DEFAULTS);
        assertThat(c.trustedProxies().blocks()).isEmpty();
    }

    @Test
    void load_manyMistakes_reportsEveryOneExactly() {
        assertThatThrownBy(() -> load("""
                sites:
                  legacy: { upstreams: [https://127.0.0.1:3000, http://127.0.0.1:3000/app, http://127.0.0.1:3000] }
                  cloud: { upstreams: [], balance: random, health: { path: healthz, unhealthy: 0 }, ejection: { base-time: 1m, max-time: 10s } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router:
                  listen: nowhere
                  admin: { tokens: { ops: { env: EMPTY }, ci: { env: UNSET } } }
                  trusted-proxies: [10.0.0.0/33, proxy.example.com]
                  tenant-from:
                    - { host: "shop.example.com" }
                    - { path: "/t{tenant}/" }
                    - { header: X-Tenant }
                    - { host: "{tenant}.a.com", path: "/{tenant}/" }
                    - { qurey: tenant }
                  unknown-tenant: elsewhere
                  tenant-header: "X Tenant"
                  freeze: { max-hold: forever, max-held-per-tenant: -1 }
                  acess-log: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 22 problems:
                          router.acess-log: unknown key (expected: one of listen, timeouts, limits, pool, io-threads, tenant-header, request-id-header, via, access-log, admin, trusted-proxies, tenant-from, unknown-tenant, freeze, shutdown-grace, traffic-bucket)
                          router.listen: nowhere (expected: host:port such as 127.0.0.1:8080 or [::1]:8080, port from 0 to 65535)
                          router.tenant-header: X Tenant (expected: an HTTP header name (token characters) such as X-Hikkoshi-Tenant)
                          router.admin.tokens.ops.env: EMPTY (expected: the name of an environment variable that is set and not empty)
                          router.admin.tokens.ci.env: UNSET (expected: the name of an environment variable that is set and not empty)
                          router.trusted-proxies[0]: 10.0.0.0/33 (expected: an IP address or CIDR block such as 10.0.0.0/16 or ::1/128)
                          router.trusted-proxies[1]: proxy.example.com (expected: an IP address or CIDR block such as 10.0.0.0/16 or ::1/128)
                          router.tenant-from[0].host: shop.example.com (expected: a host name with one {tenant} label, such as {tenant}.shop.example.com)
                          router.tenant-from[1].path: /t{tenant}/ (expected: a path prefix with {tenant} as one whole segment, such as /t/{tenant}/)
                          router.tenant-from[2].trusted-clients: (missing) (expected: a list of the CIDR blocks whose header is believed, such as [10.0.5.0/24] ([0.0.0.0/0, ::/0] believes everyone))
                          router.tenant-from[3]: {"host":"{tenant}.a.com","path":"/{tenant}/"} (expected: exactly one of host, path, header, cookie, query in each rule)
                          router.tenant-from[4]: {"qurey":"tenant"} (expected: one of {host: "{tenant}.shop.example.com"}, {path: "/t/{tenant}/", strip: true}, {header: X-Tenant, trusted-clients: [...]}, {cookie: NAME, trusted-clients: [...]}, {query: NAME, trusted-clients: [...]})
                          router.unknown-tenant: elsewhere (expected: a site defined under sites: legacy, cloud)
                          router.freeze.max-held-per-tenant: -1 (expected: an integer from 0 to 1000000)
                          router.freeze.max-hold: forever (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)
                          sites.legacy.upstreams[0]: https://127.0.0.1:3000 (expected: an http:// URL with a host and an optional port, such as http://10.0.1.10:3000 (no path; TLS to upstreams is not supported))
                          sites.legacy.upstreams[1]: http://127.0.0.1:3000/app (expected: an http:// URL with a host and an optional port, such as http://10.0.1.10:3000 (no path; TLS to upstreams is not supported))
                          sites.cloud.upstreams: [] (expected: at least one upstream URL such as http://10.0.1.10:3000)
                          sites.cloud.balance: random (expected: one of round-robin, least-connections)
                          sites.cloud.health.path: healthz (expected: a request path starting with / such as /healthz)
                          sites.cloud.health.unhealthy: 0 (expected: an integer from 1 to 100)
                          sites.cloud.ejection.max-time: 10s (expected: a duration at least base-time (1m))""");
    }

    @Test
    void load_noTokens_refusesToStart() {
        assertThatThrownBy(() -> load("""
                sites: { legacy: { upstreams: [http://127.0.0.1:3000] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router:
                  admin: { tokens: {} }
                  tenant-from: [ { host: "{tenant}.example.com" } ]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.admin.tokens: {} (expected: a map of token names to {env: VARIABLE}, such as"
                        + " {controller: {env: HIKKOSHI_ROUTER_TOKEN}} (the admin API refuses every request without one))");
    }

    @Test
    void load_trafficBucket_defaultsTo5s_andMustDivide15m() {
        String config = """
                sites: { legacy: { upstreams: [http://127.0.0.1:3000] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router:
                  admin: { tokens: { controller: { env: TOKEN } } }
                  tenant-from: [ { host: "{tenant}.example.com" } ]
                """;
        assertThat(load(config).trafficBucket()).isEqualTo(Duration.ofSeconds(5));
        assertThat(load(config + "  traffic-bucket: 1s\n").trafficBucket()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> load(config + "  traffic-bucket: 7s\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.traffic-bucket: 7s (expected: a duration from 100ms to 1m that divides 15m "
                        + "evenly, such as 1s or 5s)");
    }
}

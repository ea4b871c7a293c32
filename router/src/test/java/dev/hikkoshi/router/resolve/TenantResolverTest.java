package dev.hikkoshi.router.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.RouteDecision;
import dev.hikkoshi.router.table.RoutingTableHolder;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantResolverTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");

    private final RoutingTableHolder table = new RoutingTableHolder(
            new RoutingTable(1, Map.of(TenantId.of("globex"), Placement.at(CLOUD))), Optional.empty());

    private TenantResolver resolver(String unknownTenant) {
        RouterConfig config = RouterConfig.load(ConfigDocument.parse(Path.of("t.yaml"), """
                sites: { legacy: { upstreams: ["http://127.0.0.1:1"] }, cloud: { upstreams: ["http://127.0.0.1:2"] } }
                tenants: { list: [ { name: acme, id: 1 }, { name: globex, id: 2 }, { name: initech, id: 3 } ] }
                router:
                  admin: { tokens: { t: { env: T } } }
                  trusted-proxies: [10.0.0.0/8]
                  tenant-from:
                    - { host: "{tenant}.shop.example.com" }
                    - { path: "/t/{tenant}/", strip: true }
                    - { path: "/keep/{tenant}" }
                    - { header: X-Tenant, trusted-clients: [192.168.5.0/24] }
                    - { cookie: tenant, trusted-clients: [192.168.5.0/24] }
                    - { query: tenant, trusted-clients: [192.168.5.0/24] }
                  unknown-tenant: %s
                """.formatted(unknownTenant), Map.of("T", "x")));
        return new TenantResolver(config, table);
    }

    private static HttpRequest get(String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("Host", "www.example.com");
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals("Host")) {
                r.headers().set(headers[i], headers[i + 1]);
            } else {
                r.headers().add(headers[i], headers[i + 1]);
            }
        }
        return r;
    }

    private static InetSocketAddress peer(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    }

    private static Route routed(RouteDecision d) {
        assertThat(d).isInstanceOf(RouteDecision.Routed.class);
        return ((RouteDecision.Routed) d).route();
    }

    @Test
    void hostRule_namesTheTenant_caseInsensitiveAndPortIgnored() throws Exception {
        Route r = routed(resolver("legacy").route(get("/orders?x=1", "Host", "ACME.Shop.Example.com:8080"), peer("1.2.3.4")));
        assertThat(r).isEqualTo(new Route(Optional.of(TenantId.of("acme")), LEGACY, "/orders?x=1",
                InetAddress.getByName("1.2.3.4"), false));
    }

    @Test
    void hostRule_matchesOnlyOneWholeLabelOfTenantCharacters() throws Exception {
        TenantResolver res = resolver("legacy");
        for (String host : new String[] {"shop.example.com", ".shop.example.com", "a.acme.shop.example.com",
                "acme.shop.example.com.evil.test", "acme.shop.example.org", "ac!me.shop.example.com"}) {
            assertThat(routed(res.route(get("/", "Host", host), peer("1.2.3.4"))).tenantLabel()).as(host)
                    .isEqualTo("-");
        }
    }

    @Test
    void knownTenant_placedInTheTable_goesToItsSite() throws Exception {
        Route r = routed(resolver("legacy").route(get("/", "Host", "globex.shop.example.com"), peer("1.2.3.4")));
        assertThat(r.site()).isEqualTo(CLOUD);
    }

    @Test
    void pathRule_withStrip_forwardsTheRestWithItsQuery() throws Exception {
        TenantResolver res = resolver("legacy");
        assertThat(routed(res.route(get("/t/globex/orders/7?page=2"), peer("1.2.3.4"))))
                .extracting(Route::tenantLabel, Route::site, Route::forwardTarget)
                .containsExactly("globex", CLOUD, "/orders/7?page=2");
        assertThat(routed(res.route(get("/t/globex"), peer("1.2.3.4"))).forwardTarget()).isEqualTo("/");
        assertThat(routed(res.route(get("/keep/acme/x"), peer("1.2.3.4"))))
                .extracting(Route::tenantLabel, Route::forwardTarget).containsExactly("acme", "/keep/acme/x");
    }

    @Test
    void hints_fromTrustedClient_areHonoured() throws Exception {
        TenantResolver res = resolver("legacy");
        InetSocketAddress trusted = peer("192.168.5.9");
        assertThat(routed(res.route(get("/", "X-Tenant", "globex"), trusted)).tenantLabel()).isEqualTo("globex");
        assertThat(routed(res.route(get("/", "Cookie", "a=b; tenant=globex"), trusted)).tenantLabel()).isEqualTo("globex");
        assertThat(routed(res.route(get("/x?tenant=globex"), trusted)).tenantLabel()).isEqualTo("globex");
    }

    @Test
    void hints_fromUntrustedClient_areIgnored() throws Exception {
        TenantResolver res = resolver("legacy");
        InetSocketAddress untrusted = peer("192.168.6.9");
        for (HttpRequest req : new HttpRequest[] {get("/", "X-Tenant", "globex"), get("/", "Cookie", "tenant=globex"),
                get("/x?tenant=globex")}) {
            Route r = routed(res.route(req, untrusted));
            assertThat(r.tenant()).isEmpty();
            assertThat(r.site()).isEqualTo(LEGACY);
        }
    }

    @Test
    void forwardedFor_fromTrustedProxy_clientIsTheRightmostUntrustedAddress() throws Exception {
        TenantResolver res = resolver("legacy");
        // the client forged 192.168.5.9 at the left; the proxy 10.0.0.1 appended the real client 203.0.113.7
        Route r = routed(res.route(get("/", "X-Tenant", "globex", "X-Forwarded-For", "192.168.5.9, 203.0.113.7"),
                peer("10.0.0.1")));
        assertThat(r.client()).isEqualTo(InetAddress.getByName("203.0.113.7"));
        assertThat(r.peerTrusted()).isTrue();
        assertThat(r.tenant()).isEmpty();
        Route viaTwo = routed(res.route(get("/", "X-Tenant", "globex", "X-Forwarded-For", "192.168.5.9",
                "X-Forwarded-For", "10.0.0.2"), peer("10.0.0.1")));
        assertThat(viaTwo.client()).isEqualTo(InetAddress.getByName("192.168.5.9"));
        assertThat(viaTwo.tenantLabel()).isEqualTo("globex");
    }

    @Test
    void forwardedFor_fromUntrustedPeer_isIgnored() throws Exception {
        Route r = routed(resolver("legacy").route(get("/", "X-Tenant", "globex", "X-Forwarded-For", "192.168.5.9"),
                peer("198.51.100.1")));
        assertThat(r.client()).isEqualTo(InetAddress.getByName("198.51.100.1"));
        assertThat(r.peerTrusted()).isFalse();
        assertThat(r.tenant()).isEmpty();
    }

    @Test
    void hints_twoDifferentValues_nameNoTenant() throws Exception {
        Route r = routed(resolver("legacy").route(get("/", "X-Tenant", "globex", "X-Tenant", "acme"), peer("192.168.5.9")));
        assertThat(r.tenant()).isEmpty();
    }

    @Test
    void unknownName_fallsThroughToTheNextRule() throws Exception {
        Route r = routed(resolver("legacy").route(get("/t/acme/", "Host", "www.shop.example.com"), peer("1.2.3.4")));
        assertThat(r.tenantLabel()).isEqualTo("acme");
    }

    @Test
    void unknownTenant_goesToTheConfiguredSite_orGets404() throws Exception {
        Route r = routed(resolver("cloud").route(get("/t/nobody/x"), peer("1.2.3.4")));
        assertThat(r).isEqualTo(new Route(Optional.empty(), CLOUD, "/t/nobody/x", InetAddress.getByName("1.2.3.4"), false));
        assertThat(resolver("reject").route(get("/t/nobody/x"), peer("1.2.3.4")))
                .isEqualTo(new RouteDecision.Rejected(HttpResponseStatus.NOT_FOUND, "unknown tenant"));
    }

    @Test
    void knownButUnplacedTenant_withReject_gets503() throws Exception {
        assertThat(resolver("reject").route(get("/t/acme/"), peer("1.2.3.4")))
                .isEqualTo(new RouteDecision.Rejected(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "tenant acme is not placed on any site"));
        assertThat(routed(resolver("reject").route(get("/t/globex/"), peer("1.2.3.4"))).site()).isEqualTo(CLOUD);
    }

    @Test
    void reconfigure_swapsTheRules() throws Exception {
        TenantResolver res = resolver("legacy");
        assertThat(routed(res.route(get("/t/nobody/"), peer("1.2.3.4"))).site()).isEqualTo(LEGACY);
        res.reconfigure(RouterConfig.load(ConfigDocument.parse(Path.of("t.yaml"), """
                sites: { legacy: { upstreams: ["http://127.0.0.1:1"] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                router: { admin: { tokens: { t: { env: T } } }, tenant-from: [ { path: "/t/{tenant}/" } ] }
                """, Map.of("T", "x"))));
        assertThat(res.route(get("/t/nobody/"), peer("1.2.3.4")))
                .isEqualTo(new RouteDecision.Rejected(HttpResponseStatus.NOT_FOUND, "unknown tenant"));
    }
}

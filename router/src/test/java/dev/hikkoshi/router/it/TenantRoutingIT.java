package dev.hikkoshi.router.it;

import static dev.hikkoshi.router.it.RouterFixture.CLOUD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.BackendRequest;
import dev.hikkoshi.sandbox.http.ExchangeEvent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tenant resolution end to end: real sockets, the real proxy, recording backends as two sites. */
@Timeout(60)
class TenantRoutingIT {
    @TempDir
    Path dir;
    RouterFixture fx;
    Router router;

    @BeforeEach
    void backends() throws Exception {
        fx = new RouterFixture(dir);
    }

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        fx.close();
    }

    private InetSocketAddress proxy() {
        return router.proxyAddress();
    }

    /** What the backend saw for the last request it received. */
    private BackendRequest lastReceived() {
        List<ExchangeEvent.Received> r = fx.log.events(ExchangeEvent.Received.class);
        return r.get(r.size() - 1).request();
    }

    private void startWithEveryRule(String trustedClients, String unknownTenant) throws Exception {
        router = fx.start("""
                  tenant-from:
                    - { host: "{tenant}.shop.test" }
                    - { path: "/t/{tenant}/", strip: true }
                    - { header: X-Tenant, trusted-clients: [%1$s] }
                    - { cookie: tenant, trusted-clients: [%1$s] }
                    - { query: tenant, trusted-clients: [%1$s] }
                  unknown-tenant: %2$s
                """.formatted(trustedClients, unknownTenant));
        // globex lives on cloud; acme and initech are not placed, so they are on the unknown-tenant site
        router.control().push(new RoutingTable(1, Map.of(TenantId.of("globex"), Placement.at(CLOUD))));
    }

    @Test
    void eachRule_routesToTheTenantsSite_andForwardsTheResolvedTenant() throws Exception {
        startWithEveryRule("127.0.0.1/32", "legacy");

        RawClient.Response byHost = RawClient.get(proxy(), "globex.shop.test", "/orders?page=2");
        assertThat(byHost.status()).isEqualTo(200);
        assertThat(byHost.header("X-Served-By")).isEqualTo("cloud");
        assertThat(lastReceived()).extracting(BackendRequest::tenant, BackendRequest::uri)
                .containsExactly(Optional.of("globex"), "/orders?page=2");

        RawClient.Response byPath = RawClient.get(proxy(), "www.shop.test", "/t/globex/cart/7?x=1");
        assertThat(byPath.header("X-Served-By")).isEqualTo("cloud");
        assertThat(lastReceived()).extracting(BackendRequest::tenant, BackendRequest::uri)
                .containsExactly(Optional.of("globex"), "/cart/7?x=1");

        assertThat(RawClient.get(proxy(), "www.shop.test", "/", "X-Tenant: globex").header("X-Served-By"))
                .isEqualTo("cloud");
        assertThat(lastReceived().tenant()).contains("globex");
        assertThat(RawClient.get(proxy(), "www.shop.test", "/", "Cookie: a=1; tenant=globex").header("X-Served-By"))
                .isEqualTo("cloud");
        assertThat(lastReceived().tenant()).contains("globex");
        assertThat(RawClient.get(proxy(), "www.shop.test", "/p?tenant=globex").header("X-Served-By"))
                .isEqualTo("cloud");
        assertThat(lastReceived().tenant()).contains("globex");

        // a known tenant the table does not place is on the unknown-tenant site, with its name forwarded
        assertThat(RawClient.get(proxy(), "acme.shop.test", "/").header("X-Served-By")).isEqualTo("legacy");
        assertThat(lastReceived().tenant()).contains("acme");
    }

    @Test
    void hints_fromUntrustedClients_areIgnored() throws Exception {
        startWithEveryRule("10.9.9.0/24", "legacy");
        for (String[] hint : new String[][] {{"/", "X-Tenant: globex"}, {"/", "Cookie: tenant=globex"},
                {"/?tenant=globex", "X-Other: 1"}}) {
            RawClient.Response r = RawClient.get(proxy(), "www.shop.test", hint[0], hint[1]);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Served-By")).as("hint %s", hint[1]).isEqualTo("legacy");
            assertThat(lastReceived().tenant()).as("hint %s", hint[1]).isEmpty();
        }
    }

    @Test
    void tenantHeader_sentByTheClient_isOverwrittenOrRemoved() throws Exception {
        startWithEveryRule("127.0.0.1/32", "legacy");
        RawClient.get(proxy(), "acme.shop.test", "/", "X-Hikkoshi-Tenant: globex");
        assertThat(lastReceived().tenant()).contains("acme");
        RawClient.Response unknown = RawClient.get(proxy(), "www.shop.test", "/", "X-Hikkoshi-Tenant: globex");
        assertThat(unknown.header("X-Served-By")).isEqualTo("legacy");
        assertThat(lastReceived().tenant()).isEmpty();
    }

    @Test
    void unknownTenant_goesToTheConfiguredSite() throws Exception {
        startWithEveryRule("127.0.0.1/32", "cloud");
        RawClient.Response r = RawClient.get(proxy(), "nobody.shop.test", "/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Served-By")).isEqualTo("cloud");
        assertThat(lastReceived().tenant()).isEmpty();
    }

    @Test
    void unknownTenant_withReject_gets404AndReachesNoUpstream() throws Exception {
        startWithEveryRule("127.0.0.1/32", "reject");
        long before = fx.log.lastSequence();
        RawClient.Response r = RawClient.get(proxy(), "nobody.shop.test", "/x");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("unknown tenant");
        RawClient.Response unplaced = RawClient.get(proxy(), "acme.shop.test", "/x");
        assertThat(unplaced.status()).isEqualTo(503);
        assertThat(unplaced.body()).contains("tenant acme is not placed on any site");
        assertThat(fx.log.lastSequence()).isEqualTo(before);
        assertThat(RawClient.get(proxy(), "globex.shop.test", "/").header("X-Served-By")).isEqualTo("cloud");
    }

    @Test
    void absoluteForm_routedByItsAuthority_or400WhenItDiffersFromHost() throws Exception {
        startWithEveryRule("127.0.0.1/32", "legacy");
        RawClient.Response same = RawClient.exchange(proxy(), "GET http://globex.shop.test/a?b=1 HTTP/1.1\r\n"
                + "Host: globex.shop.test\r\nConnection: close\r\n\r\n");
        assertThat(same.header("X-Served-By")).isEqualTo("cloud");
        assertThat(lastReceived()).extracting(BackendRequest::tenant, BackendRequest::uri)
                .containsExactly(Optional.of("globex"), "/a?b=1");
        // Received events only: the first exchange's Completed event may be logged after its client has the answer.
        int before = fx.log.events(ExchangeEvent.Received.class).size();
        RawClient.Response differs = RawClient.exchange(proxy(), "GET http://globex.shop.test/a HTTP/1.1\r\n"
                + "Host: acme.shop.test\r\nConnection: close\r\n\r\n");
        assertThat(differs.status()).isEqualTo(400);
        assertThat(fx.log.events(ExchangeEvent.Received.class)).hasSize(before);
    }

    @Test
    void forwardedFor_fromAnUntrustedPeer_doesNotMakeTheClientTrusted() throws Exception {
        startWithEveryRule("10.9.9.0/24", "legacy");
        // the client claims to be 10.9.9.9 but the router trusts no proxy: the hint stays ignored
        RawClient.Response r = RawClient.get(proxy(), "www.shop.test", "/", "X-Forwarded-For: 10.9.9.9",
                "X-Tenant: globex");
        assertThat(r.header("X-Served-By")).isEqualTo("legacy");
        assertThat(lastReceived().tenant()).isEmpty();
        assertThat(lastReceived().forwarded("x-forwarded-for")).contains("127.0.0.1");
    }
}

package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyForwardingTest {
    private TestBackend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.http("a1");
        proxy = new ProxyFixture();
        proxy.routing.site(TestRouting.A, backend.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    @Test
    void get_isForwardedWithRewrittenHeaders_andAnswered() throws Exception {
        HttpWire.Message response = proxy.exchange("GET /x?q=1 HTTP/1.1\r\nHost: acme.test\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nX-Hikkoshi-Tenant: evil\r\nConnection: keep-alive, X-Secret\r\n"
                + "X-Secret: s\r\nKeep-Alive: 5\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("a1 GET /x?q=1 0");
        assertThat(response.header("via")).isEqualTo("1.1 hikkoshi");
        HttpWire.Message upstream = backend.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.firstLine()).isEqualTo("GET /x?q=1 HTTP/1.1");
        assertThat(upstream.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(upstream.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(upstream.header("x-forwarded-host")).isEqualTo("acme.test");
        assertThat(upstream.header("x-hikkoshi-tenant")).isEqualTo("acme");
        assertThat(upstream.header("via")).isEqualTo("1.1 hikkoshi");
        assertThat(upstream.header("x-request-id")).isNotBlank();
        assertThat(upstream.headers()).doesNotContainKeys("connection", "keep-alive", "x-secret");
    }

    @Test
    void trustedPeer_getsItsForwardedHeadersAppendedTo_notOverwritten() throws Exception {
        proxy.routing.peerTrusted = true;
        proxy.exchange("GET / HTTP/1.1\r\nHost: acme.test\r\nX-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\nVia: 1.1 alb\r\n\r\n");
        HttpWire.Message upstream = backend.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(upstream.header("x-forwarded-proto")).isEqualTo("https");
        assertThat(upstream.header("x-forwarded-host")).isEqualTo("shop.example");
        assertThat(upstream.header("via")).isEqualTo("1.1 alb, 1.1 hikkoshi");
    }

    @Test
    void unknownTenant_hasTheTenantHeaderRemoved() throws Exception {
        proxy.exchange("GET / HTTP/1.0\r\nX-Hikkoshi-Tenant: acme\r\n\r\n");
        HttpWire.Message upstream = backend.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.headers()).doesNotContainKey("x-hikkoshi-tenant");
    }

    @Test
    void busyUpstream_withNoRoomToWait_gives503() throws Exception {
        try (TestBackend slow = TestBackend.raw("slow", (n, in, out, b) -> {
            HttpWire.readRequest(in);
            Thread.sleep(1500);
            TestBackend.respond(out, 200, "late", false);
        }); ProxyFixture tight = new ProxyFixture(b -> b.ioThreads(1).maxConnectionsPerUpstream(1).maxPendingAcquires(0))) {
            tight.routing.site(TestRouting.A, slow.port());
            try (ProxyFixture.Client first = tight.client()) {
                first.send("GET /1 HTTP/1.1\r\nHost: acme.test\r\n\r\n");
                while (slow.connections.get() == 0) {
                    Thread.sleep(5);
                }
                HttpWire.Message second = tight.exchange("GET /2 HTTP/1.1\r\nHost: acme.test\r\n\r\n");
                assertThat(second.status()).isEqualTo(503);
                assertThat(second.header("retry-after")).isEqualTo("1");
                assertThat(first.response().bodyText()).isEqualTo("late");
            }
        }
    }
}

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
}

package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.router.http.HostileCorpus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Point 9 of issue 2 end to end: each hostile request gets its status and a closed connection. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyHostileInputTest {
    private static TestBackend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.http("a1");
        proxy = new ProxyFixture(b -> b.maxInitialLineBytes(HostileCorpus.LIMITS.maxInitialLineBytes())
                .maxHeaderBytes(HostileCorpus.LIMITS.maxHeaderBytes()).maxHeaderCount(HostileCorpus.LIMITS.maxHeaderCount())
                .maxBodyBytes(HostileCorpus.LIMITS.maxBodyBytes()).headerReadTimeout(Duration.ofMillis(700))
                .clientIdleTimeout(Duration.ofMillis(1500)));
        proxy.routing.site(TestRouting.A, backend.port());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
        assertThat(backend.received).noneMatch(r -> r.message().firstLine().contains("SMUGGLED"));
    }

    static List<HostileCorpus.Case> hostile() {
        return HostileCorpus.cases();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileRequest_getsItsStatus_andTheConnectionClosed_andTheProxyKeepsServing(HostileCorpus.Case c)
            throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send(c.request());
            HttpWire.Message response = client.response();
            assertThat(response).as(c.name()).isNotNull();
            assertThat(response.status()).as(c.name()).isEqualTo(c.status());
            assertThat(response.header("connection")).as(c.name()).isEqualTo("close");
            assertThat(client.closedByPeer()).as(c.name() + ": connection closed").isTrue();
        }
        assertThat(proxy.exchange("GET /after HTTP/1.1\r\nHost: a.test\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void slowHead_gets408_andTheConnectionClosed() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET / HTTP/1.1\r\nHost: a.te");
            long started = System.nanoTime();
            HttpWire.Message response = client.response();
            assertThat(response.status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(9));
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnection_isClosedSilently_afterTheIdleTimeout() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(client.response().status()).isEqualTo(200);
            long started = System.nanoTime();
            assertThat(client.in.read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(9));
        }
    }
}

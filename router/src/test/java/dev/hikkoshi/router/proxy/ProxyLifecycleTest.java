package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.router.route.ExchangeRecord;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exchange records for every request (rejected ones too), draining, and binding errors. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyLifecycleTest {
    @Test
    void everyRequest_producesARecord_includingRefusedOnes() throws Exception {
        try (TestBackend b = TestBackend.http("a1"); ProxyFixture proxy = new ProxyFixture()) {
            proxy.routing.site(TestRouting.A, b.port());
            proxy.exchange("POST /t/acme/orders?secret=1 HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 3\r\n\r\nabc");
            ExchangeRecord ok = proxy.records.poll(5, TimeUnit.SECONDS);
            assertThat(ok.tenant()).isEqualTo("acme");
            assertThat(ok.site()).isEqualTo("a");
            assertThat(ok.upstream()).isEqualTo("127.0.0.1:" + b.port());
            assertThat(ok.method()).isEqualTo("POST");
            assertThat(ok.path()).isEqualTo("/t/acme/orders");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bytesIn()).isEqualTo(3);
            assertThat(ok.bytesOut()).isEqualTo("a1 POST /t/acme/orders?secret=1 3".length());
            assertThat(ok.durationMicros()).isGreaterThanOrEqualTo(ok.upstreamMicros()).isPositive();

            proxy.exchange("GET / HTTP/1.1\r\nHost: reject.test\r\n\r\n");
            ExchangeRecord rejected = proxy.records.poll(5, TimeUnit.SECONDS);
            assertThat(rejected.status()).isEqualTo(404);
            assertThat(rejected.upstream()).isEmpty();

            proxy.exchange("GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n");
            ExchangeRecord refused = proxy.records.poll(5, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.tenant()).isEqualTo("-");
            assertThat(refused.requestId()).isNotEqualTo(ok.requestId());
        }
    }

    @Test
    void stopAccepting_refusesNewConnections_letsTheExchangeInFlightFinish_withConnectionClose() throws Exception {
        try (TestBackend slow = TestBackend.raw("slow", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            Thread.sleep(500);
            TestBackend.respond(out, 200, "done", false);
            Thread.sleep(2000);
        }); ProxyFixture proxy = new ProxyFixture()) {
            proxy.routing.site(TestRouting.A, slow.port());
            int port = proxy.server.boundAddress().getPort();
            try (ProxyFixture.Client busy = proxy.client(); ProxyFixture.Client idle = proxy.client()) {
                busy.send("GET /slow HTTP/1.1\r\nHost: acme.test\r\n\r\n");
                while (proxy.server.inFlight() == 0) {
                    Thread.sleep(5);
                }
                proxy.server.stopAccepting();
                assertThat(idle.closedByPeer()).isTrue();
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1000))
                        .isInstanceOf(ConnectException.class);
                assertThat(proxy.server.awaitInFlight(Instant.now().plusSeconds(5))).isTrue();
                HttpWire.Message response = busy.response();
                assertThat(response.bodyText()).isEqualTo("done");
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(busy.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void listenAddressInUse_isAUserError() throws Exception {
        try (ProxyFixture first = new ProxyFixture()) {
            ProxySettings settings = ProxySettings.builder().listen(first.server.boundAddress()).ioThreads(1).build();
            ProxyServer second = new ProxyServer(settings, first.routing, first.routing, first.routing, r -> { });
            assertThatThrownBy(second::start).isInstanceOf(UserException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.server.boundAddress().getPort() + ": ");
            second.close();
        }
    }
}

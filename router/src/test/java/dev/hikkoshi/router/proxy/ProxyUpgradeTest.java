package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket handshake is forwarded and, after 101, bytes are relayed raw both ways. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyUpgradeTest {
    @Test
    void upgradedConnection_relaysRawBytesBothWays_andFinishesWhenClosed() throws Exception {
        try (TestBackend ws = TestBackend.raw("ws", (n, in, out, backend) -> {
            HttpWire.Message request = HttpWire.readRequest(in);
            backend.received.add(new TestBackend.Received(request, n));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(new String(buf, 0, r, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }); ProxyFixture proxy = new ProxyFixture()) {
            proxy.routing.site(TestRouting.A, ws.port());
            try (ProxyFixture.Client client = proxy.client()) {
                client.send("GET /chat HTTP/1.1\r\nHost: acme.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                String head = HttpWire.readHead(client.in);
                assertThat(head).startsWith("HTTP/1.1 101");
                assertThat(HttpWire.headers(head).get("upgrade")).containsExactly("websocket");
                client.send("hello");
                assertThat(new String(client.in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("HELLO");
                client.send("again");
                assertThat(new String(client.in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("AGAIN");
                HttpWire.Message upstream = ws.received.poll(5, TimeUnit.SECONDS).message();
                assertThat(upstream.header("upgrade")).isEqualTo("websocket");
                assertThat(upstream.header("connection")).isEqualTo("upgrade");
                assertThat(upstream.header("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
                assertThat(proxy.routing.inFlight.get()).isEqualTo(1);
            }
            assertThat(proxy.server.awaitInFlight(Instant.now().plusSeconds(5))).isTrue();
            assertThat(proxy.records.poll(5, TimeUnit.SECONDS).status()).isEqualTo(101);
        }
    }

    @Test
    void forceClose_endsAnUpgradedExchange_andFinishesIt() throws Exception {
        try (TestBackend ws = TestBackend.raw("ws", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // hold the connection open until the proxy closes it
            }
        }); ProxyFixture proxy = new ProxyFixture()) {
            proxy.routing.site(TestRouting.A, ws.port());
            try (ProxyFixture.Client client = proxy.client()) {
                client.send("GET /events HTTP/1.1\r\nHost: acme.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
                assertThat(HttpWire.readHead(client.in)).startsWith("HTTP/1.1 101");
                assertThat(proxy.routing.handles).hasSize(1);
                assertThat(proxy.routing.handles.peek().describe()).contains("GET /events");
                proxy.routing.handles.peek().forceClose();
                assertThat(client.closedByPeer()).isTrue();
            }
            assertThat(proxy.server.awaitInFlight(Instant.now().plusSeconds(5))).isTrue();
            assertThat(proxy.routing.finished.get()).isEqualTo(1);
        }
    }
}

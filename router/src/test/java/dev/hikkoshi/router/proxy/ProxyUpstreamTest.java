package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pool reuse and idle timeout, retry rules, timeouts, and upstreams that break the protocol. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyUpstreamTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ProxyFixture proxy(UnaryOperator<ProxySettings.Builder> settings, int... ports) {
        // One event loop, hence one pool: connection counts are exact.
        ProxyFixture proxy = new ProxyFixture(b -> settings.apply(b.ioThreads(1)));
        proxy.routing.site(TestRouting.A, ports);
        open.add(proxy);
        return proxy;
    }

    private TestBackend backend(TestBackend backend) {
        open.add(backend);
        return backend;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a.test\r\n\r\n";
    }

    @Test
    void sequentialRequests_reuseOnePooledConnection() throws Exception {
        TestBackend b = backend(TestBackend.http("a1"));
        ProxyFixture proxy = proxy(s -> s, b.port());
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.exchange(get("/" + i)).bodyText()).isEqualTo("a1 GET /" + i + " 0");
        }
        assertThat(b.connections.get()).isEqualTo(1);
        assertThat(b.received).extracting(TestBackend.Received::connection).containsOnly(1);
    }

    @Test
    void idlePooledConnection_isClosedAfterTheIdleTimeout() throws Exception {
        TestBackend b = backend(TestBackend.http("a1"));
        ProxyFixture proxy = proxy(s -> s.upstreamIdleTimeout(Duration.ofMillis(200)), b.port());
        assertThat(proxy.exchange(get("/1")).status()).isEqualTo(200);
        Thread.sleep(700);
        assertThat(proxy.exchange(get("/2")).status()).isEqualTo(200);
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void upstreamConnectionClose_isHonoured() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            Thread.sleep(2000);
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).bodyText()).isEqualTo("ok");
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("ok");
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void connectFailure_triesAnotherUpstream_evenForPost() throws Exception {
        TestBackend b = backend(TestBackend.http("a1"));
        int dead = deadPort();
        ProxyFixture proxy = proxy(s -> s, dead, b.port());
        for (int i = 0; i < 2; i++) {
            HttpWire.Message response = proxy.exchange("POST /p HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(response.bodyText()).isEqualTo("a1 POST /p 3");
        }
        assertThat(proxy.routing.events).contains("connectFailed " + dead);
    }

    @Test
    void everyUpstreamUnreachable_gives502_andNoUpstream_gives503() throws Exception {
        ProxyFixture proxy = proxy(s -> s, deadPort(), deadPort());
        HttpWire.Message response = proxy.exchange(get("/"));
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).isEqualTo("502 Bad Gateway: could not connect to an upstream of site a\n");
        proxy.routing.site(TestRouting.A);
        assertThat(proxy.exchange(get("/")).bodyText()).isEqualTo("503 Service Unavailable: no healthy upstream in site a\n");
    }

    /** Answers the first request of each connection, then closes when the second arrives, unanswered. */
    private static void oneThenClose(int n, java.io.InputStream in, OutputStream out, TestBackend backend) throws IOException {
        HttpWire.Message first = HttpWire.readRequest(in);
        backend.received.add(new TestBackend.Received(first, n));
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn" + n);
        HttpWire.Message second = HttpWire.readRequest(in);
        if (second != null) {
            backend.received.add(new TestBackend.Received(second, n));
        }
    }

    @Test
    void idempotentRequest_onAPooledConnectionTheUpstreamClosed_isRetriedOnANewConnection() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", ProxyUpstreamTest::oneThenClose));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).bodyText()).isEqualTo("conn1");
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("conn2");
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void nonIdempotentRequest_onAPooledConnectionTheUpstreamClosed_isNotRetried() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", ProxyUpstreamTest::oneThenClose));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).bodyText()).isEqualTo("conn1");
        HttpWire.Message response = proxy.exchange("POST /2 HTTP/1.1\r\nHost: a.test\r\nContent-Length: 0\r\n\r\n");
        assertThat(response.status()).isEqualTo(502);
        assertThat(b.connections.get()).isEqualTo(1);
    }

    @Test
    void upstreamThatNeverAnswers_gives504_afterTheResponseHeaderTimeout() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            Thread.sleep(20_000);
        }));
        ProxyFixture proxy = proxy(s -> s.responseHeaderTimeout(Duration.ofMillis(400)), b.port());
        long started = System.nanoTime();
        HttpWire.Message response = proxy.exchange(get("/slow"));
        assertThat(response.status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(9));
    }

    @Test
    void upstreamStallingMidBody_isCutAfterTheIdleTimeout() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            Thread.sleep(20_000);
        }));
        ProxyFixture proxy = proxy(s -> s.ioIdleTimeout(Duration.ofMillis(400)), b.port());
        try (ProxyFixture.Client client = proxy.client()) {
            client.send(get("/stall"));
            assertThat(HttpWire.readHead(client.in)).startsWith("HTTP/1.1 200");
            assertThat(client.in.readNBytes(3)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void extraBytesAfterAResponse_neverReachTheNextRequest() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
            HttpWire.Message next = HttpWire.readRequest(in);
            if (next != null) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
            }
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).bodyText()).isEqualTo("ok");
        HttpWire.Message second = proxy.exchange(get("/2"));
        assertThat(second.bodyText()).isEqualTo("ok");
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void bytesArrivingOnAnIdlePooledConnection_closeIt() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            Thread.sleep(200);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).bodyText()).isEqualTo("ok");
        Thread.sleep(500);
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("ok");
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void bodyAfter204_closesTheConnection_andNeverReachesTheNextRequest() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, n == 1 ? "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        assertThat(proxy.exchange(get("/1")).status()).isEqualTo(204);
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("ok");
    }

    @Test
    void earlyResponse_isRelayed_butNeitherConnectionIsReused() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            String head = HttpWire.readHead(in);
            if (head.startsWith("POST")) {
                write(out, "HTTP/1.1 413 Too Large\r\nContent-Length: 5\r\n\r\nearly");
                Thread.sleep(1000);
                return;
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            Thread.sleep(1000);
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("POST /big HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            HttpWire.Message response = client.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("ok");
        assertThat(b.connections.get()).isEqualTo(2);
    }

    @Test
    void badlyFramedResponse_gives502_andTheProxyKeepsServing() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, n == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            Thread.sleep(1000);
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        HttpWire.Message bad = proxy.exchange(get("/1"));
        assertThat(bad.status()).isEqualTo(502);
        assertThat(bad.bodyText()).startsWith("502 Bad Gateway: invalid response from upstream 127.0.0.1:");
        assertThat(proxy.exchange(get("/2")).bodyText()).isEqualTo("ok");
    }

    @Test
    void truncatedResponseBody_closesTheClientConnection() throws Exception {
        TestBackend b = backend(TestBackend.raw("a1", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        }));
        ProxyFixture proxy = proxy(s -> s, b.port());
        try (ProxyFixture.Client client = proxy.client()) {
            client.send(get("/t"));
            assertThat(HttpWire.readHead(client.in)).startsWith("HTTP/1.1 200");
            assertThat(client.in.readNBytes(3)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void clientStallingMidBody_gets408_andTheUpstreamConnectionIsDropped() throws Exception {
        TestBackend b = backend(TestBackend.http("a1"));
        ProxyFixture proxy = proxy(s -> s.ioIdleTimeout(Duration.ofMillis(400)), b.port());
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("POST /slow HTTP/1.1\r\nHost: a.test\r\nContent-Length: 10\r\n\r\nabc");
            HttpWire.Message response = client.response();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.bodyText()).isEqualTo("408 Request Timeout: request body not received in time\n");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(proxy.exchange(get("/next")).bodyText()).isEqualTo("a1 GET /next 0");
        // The stalled request's connection (the backend saw a cut request on it) is not reused for the next one.
        assertThat(b.received).filteredOn(r -> r.message().firstLine().startsWith("GET /next"))
                .extracting(TestBackend.Received::connection).containsExactly(2);
    }
}

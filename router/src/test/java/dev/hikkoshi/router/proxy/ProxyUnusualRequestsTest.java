package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Valid but unusual requests and responses are relayed faithfully. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyUnusualRequestsTest {
    private static TestBackend echo;
    private static TestBackend odd;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        echo = TestBackend.http("a1");
        // Answers by path: /chunked (chunked body with a trailer), /close (body until close), /head (CL, no body).
        odd = TestBackend.raw("b1", (n, in, out, backend) -> {
            HttpWire.Message request;
            while ((request = HttpWire.readRequest(in)) != null) {
                backend.received.add(new TestBackend.Received(request, n));
                String path = request.firstLine().split(" ")[1];
                switch (path) {
                    case "/chunked" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                            + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n");
                    case "/close" -> {
                        write(out, "HTTP/1.1 200 OK\r\n\r\nuntil-close");
                        return;
                    }
                    default -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                            + (request.firstLine().startsWith("HEAD") ? "" : "hello"));
                }
            }
        });
        proxy = new ProxyFixture();
        proxy.routing.site(TestRouting.A, echo.port());
        proxy.routing.site(TestRouting.B, odd.port());
        proxy.routing.placement.put("odd", TestRouting.B);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        echo.close();
        odd.close();
    }

    private static void write(OutputStream out, String s) throws java.io.IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void chunkedRequestWithTrailers_reachesTheUpstreamWithItsTrailers() throws Exception {
        echo.received.clear();
        HttpWire.Message response = proxy.exchange("POST /t HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: X-Checksum\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 99\r\n\r\n");
        assertThat(response.bodyText()).isEqualTo("a1 POST /t 5");
        HttpWire.Message upstream = echo.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.bodyText()).isEqualTo("hello");
        assertThat(upstream.trailers().get("x-checksum")).containsExactly("99");
    }

    @Test
    void chunkedResponseWithTrailers_reachesTheClientWithItsTrailers() throws Exception {
        HttpWire.Message response = proxy.exchange("GET /chunked HTTP/1.1\r\nHost: odd.test\r\n\r\n");
        assertThat(response.bodyText()).isEqualTo("abcde");
        assertThat(response.trailers().get("x-sum")).containsExactly("5");
    }

    @Test
    void expect100Continue_relaysTheInterimResponse_beforeTheBodyIsSent() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("PUT /up HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(HttpWire.readHead(client.in)).startsWith("HTTP/1.1 100");
            client.send("data");
            HttpWire.Message response = client.response();
            assertThat(response.bodyText()).isEqualTo("a1 PUT /up 4");
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\n"
                    + "abcGET /3 HTTP/1.1\r\nHost: odd.test\r\n\r\nGET /4 HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(client.response().bodyText()).isEqualTo("a1 GET /1 0");
            assertThat(client.response().bodyText()).isEqualTo("a1 POST /2 3");
            assertThat(client.response().bodyText()).isEqualTo("hello");
            assertThat(client.response().bodyText()).isEqualTo("a1 GET /4 0");
        }
    }

    @Test
    void http10WithoutHost_isServed_andClosed() throws Exception {
        echo.received.clear();
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /old HTTP/1.0\r\n\r\n");
            HttpWire.Message response = client.response();
            assertThat(response.bodyText()).isEqualTo("a1 GET /old 0");
            assertThat(client.closedByPeer()).isTrue();
        }
        HttpWire.Message upstream = echo.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.firstLine()).isEqualTo("GET /old HTTP/1.1");
        assertThat(upstream.header("host")).isEqualTo("127.0.0.1:" + echo.port());
        assertThat(upstream.header("via")).isEqualTo("1.0 hikkoshi");
    }

    @Test
    void http10Client_getsAChunkedUpstreamResponse_unchunked() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /chunked HTTP/1.0\r\nHost: odd.test\r\n\r\n");
            HttpWire.Message response = client.response();
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.bodyText()).isEqualTo("abcde");
        }
    }

    @Test
    void absoluteFormWithMatchingHost_isServed_asOriginForm() throws Exception {
        echo.received.clear();
        HttpWire.Message response = proxy.exchange("GET http://a.test/abs?x=1 HTTP/1.1\r\nHost: a.test\r\n\r\n");
        assertThat(response.bodyText()).isEqualTo("a1 GET /abs?x=1 0");
    }

    @Test
    void headRequest_getsTheHeadOnly_andTheConnectionStaysUsable() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("HEAD /h HTTP/1.1\r\nHost: odd.test\r\n\r\n");
            HttpWire.Message head = client.response("HEAD");
            assertThat(head.header("content-length")).isEqualTo("5");
            client.send("GET /h HTTP/1.1\r\nHost: odd.test\r\n\r\n");
            assertThat(client.response().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void responseDelimitedByClose_isRechunkedForTheClient_whoseConnectionStaysUsable() throws Exception {
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /close HTTP/1.1\r\nHost: odd.test\r\n\r\n");
            HttpWire.Message response = client.response();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.bodyText()).isEqualTo("until-close");
            client.send("GET /again HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(client.response().bodyText()).isEqualTo("a1 GET /again 0");
        }
    }

    @Test
    void rejectedRoute_getsTheRoutersStatus() throws Exception {
        HttpWire.Message response = proxy.exchange("GET / HTTP/1.1\r\nHost: reject.test\r\n\r\n");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).isEqualTo("404 Not Found: unknown tenant\n");
    }

    @Test
    void clientConnectionClose_isHonoured_whileTheUpstreamConnectionStaysPooled() throws Exception {
        echo.received.clear();
        int before = echo.connections.get();
        for (int i = 0; i < 6; i++) {
            try (ProxyFixture.Client client = proxy.client()) {
                client.send("GET /bye HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
                HttpWire.Message response = client.response();
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(client.closedByPeer()).isTrue();
            }
        }
        HttpWire.Message upstream = echo.received.poll(5, TimeUnit.SECONDS).message();
        assertThat(upstream.headers()).doesNotContainKey("connection");
        // Two event loops, so at most one new pooled connection each.
        assertThat(echo.connections.get() - before).isLessThanOrEqualTo(2);
    }
}

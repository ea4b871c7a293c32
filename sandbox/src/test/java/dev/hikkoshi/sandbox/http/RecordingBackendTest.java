package dev.hikkoshi.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Outcome;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RecordingBackendTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExchangeLog log = new ExchangeLog();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RecordingBackend legacy;
    private RecordingBackend cloud;

    @BeforeEach
    void start() throws InterruptedException {
        legacy = RecordingBackend.start(LEGACY, log);
        cloud = RecordingBackend.start(CLOUD, log);
    }

    @AfterEach
    void stop() {
        legacy.close();
        cloud.close();
    }

    private HttpResponse<String> get(RecordingBackend backend, String target, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backend.uri() + target)).timeout(WAIT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void get_saysWhichSiteServedIt_andRecordsReceivedThenCompleted() throws Exception {
        HttpResponse<String> response = get(legacy, "/t/acme/orders?x=1", RecordingBackend.TENANT_HEADER, "acme",
                "X-Forwarded-For", "10.0.0.7", "X-Forwarded-Proto", "https", "Via", "1.1 hikkoshi");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Served-By")).contains("legacy");
        assertThat(response.headers().firstValue("X-Backend-Exchange")).contains("legacy-1");
        assertThat(response.body()).isEqualTo("{\"site\":\"legacy\",\"exchange\":\"legacy-1\",\"connection\":1,"
                + "\"method\":\"GET\",\"path\":\"/t/acme/orders\",\"tenant\":\"acme\",\"bodyBytes\":0}\n");

        Completed done = log.await(Completed.class, c -> true, WAIT);
        List<ExchangeEvent> events = log.events();
        assertThat(events).hasSize(2);
        Received received = (Received) events.get(0);
        assertThat(received.sequence()).isEqualTo(1);
        assertThat(done.sequence()).isEqualTo(2);
        BackendRequest request = received.request();
        assertThat(request.site()).isEqualTo(LEGACY);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/t/acme/orders?x=1");
        assertThat(request.path()).isEqualTo("/t/acme/orders");
        assertThat(request.tenant()).contains("acme");
        assertThat(request.forwarded("x-forwarded-for")).contains("10.0.0.7");
        assertThat(request.forwarded("x-forwarded-proto")).contains("https");
        assertThat(request.forwarded("via")).contains("1.1 hikkoshi");
        assertThat(request.forwarded("host")).contains("127.0.0.1:" + legacy.port());
        assertThat(done.request()).isEqualTo(request);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.outcome()).isEqualTo(Outcome.ANSWERED);
        assertThat(done.responseBodyBytes()).isEqualTo(response.body().length());
    }

    @Test
    void twoBackends_shareOneStrictlyIncreasingSequence() throws Exception {
        for (int i = 0; i < 5; i++) {
            get(legacy, "/a");
            get(cloud, "/b");
        }
        log.awaitCount(Completed.class, c -> true, 10, WAIT);
        List<ExchangeEvent> events = log.events();
        assertThat(events).hasSize(20);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).sequence()).isEqualTo(i + 1);
        }
        assertThat(log.received(LEGACY)).hasSize(5);
        assertThat(log.completed(CLOUD)).hasSize(5).allMatch(c -> c.request().path().equals("/b"));
        assertThat(log.lastSequence()).isEqualTo(20);
    }

    @Test
    void gate_holdsTheRequestInFlight_untilOpened_andMarkersOrderBetween() throws Exception {
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                HttpRequest.newBuilder(URI.create(legacy.uri() + "/slow?gate=g1")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        Received received = log.await(Received.class, r -> r.request().path().equals("/slow"), WAIT);
        Marker whileHeld = log.mark("while held");
        assertThat(pending).isNotDone();
        assertThat(log.events(Completed.class)).isEmpty();

        legacy.openGate("g1");
        Completed completed = log.await(Completed.class, c -> c.request().path().equals("/slow"), WAIT);
        assertThat(pending.get().statusCode()).isEqualTo(200);
        assertThat(received.sequence()).isLessThan(whileHeld.sequence());
        assertThat(whileHeld.sequence()).isLessThan(completed.sequence());
    }

    @Test
    void delay_answersAfterTheDelay_viaQueryOrHeader() throws Exception {
        long start = System.nanoTime();
        assertThat(get(legacy, "/poll?delay-ms=300").statusCode()).isEqualTo(200);
        assertThat(get(legacy, "/poll", "X-Sandbox-delay-ms", "300").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void status_answersWithTheGivenStatus_andRecordsIt() throws Exception {
        HttpResponse<String> response = get(cloud, "/x?status=503");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Served-By")).contains("cloud");
        assertThat(log.await(Completed.class, c -> true, WAIT).status()).isEqualTo(503);
    }

    @Test
    void noBodyStatusesAndHead_areFramedWithoutABody_andKeepTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /a?status=204 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /c?status=304 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String[] heads = all.split("\r\n\r\n", -1);
            assertThat(heads[0]).startsWith("HTTP/1.1 204 No Content\r\n").doesNotContain("content-length");
            assertThat(heads[1]).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: ");
            assertThat(heads[2]).startsWith("HTTP/1.1 304 Not Modified\r\n").doesNotContain("content-length");
            assertThat(heads[3]).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(heads[4]).startsWith("{\"site\":\"legacy\",\"exchange\":\"legacy-4\"");
        }
        assertThat(log.awaitCount(Completed.class, c -> true, 4, WAIT)).extracting(Completed::responseBodyBytes)
                .startsWith(0L, 0L, 0L);
    }

    @Test
    void badBehaviourValue_answers400_namingTheOption() throws Exception {
        HttpResponse<String> response = get(legacy, "/x?delay-ms=soon");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"site\":\"legacy\",\"error\":\"delay-ms: soon "
                + "(expected: a whole number from 0 to 600000)\"}\n");
    }

    @Test
    void uploads_areReadAndCounted_withContentLengthAndChunked() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(URI.create(legacy.uri() + "/up"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fixed.body()).contains("\"bodyBytes\":3145728");
        // An InputStream publisher has no known length, so the client sends it chunked.
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create(legacy.uri() + "/up"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.body()).contains("\"bodyBytes\":3145728");

        List<Completed> done = log.awaitCount(Completed.class, c -> true, 2, WAIT);
        assertThat(done).extracting(Completed::requestBodyBytes).containsExactly(3145728L, 3145728L);
        assertThat(done).extracting(c -> c.request().declaredBodyBytes()).containsExactly(3145728L, -1L);
    }

    @Test
    void streamBytes_sendsALargeChunkedBody_slowlyWhenAsked() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                        URI.create(legacy.uri() + "/big?stream-bytes=5000000&chunk-bytes=65536")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).hasSize(5_000_000);
        assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
        assertThat(log.await(Completed.class, c -> true, WAIT).responseBodyBytes()).isEqualTo(5_000_000);

        long start = System.nanoTime();
        HttpResponse<byte[]> slow = client.send(HttpRequest.newBuilder(
                        URI.create(legacy.uri() + "/big?stream-bytes=4000&chunk-bytes=1000&chunk-delay-ms=100"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(slow.body()).hasSize(4000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void streamedBody_toAReaderThatStalls_stopsAtABoundedNumberOfBytes() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.getOutputStream().write("GET /big?stream-bytes=200000000&chunk-bytes=65536 HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            log.await(Received.class, r -> true, WAIT);
            // Nobody reads: the backend fills the socket buffers, then waits for writability.
            // Wait (bounded) until the count stops moving for 300 ms.
            long written = -1;
            for (int i = 0; i < 30 && written != legacy.responseBodyBytesWritten(); i++) {
                written = legacy.responseBodyBytesWritten();
                Thread.sleep(300);
            }
            assertThat(legacy.responseBodyBytesWritten()).isEqualTo(written).isPositive().isLessThan(50_000_000);

            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long read = 0;
            while (read < 10_000_000) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                read += n;
            }
            assertThat(legacy.responseBodyBytesWritten()).isGreaterThan(written);
        }
    }

    @Test
    void pauseRead_stopsReadingTheUploadForAWhile_andCountsItAsItArrives() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(legacy.uri() + "/up?pause-read-ms=300"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.body()).contains("\"bodyBytes\":2097152");
        assertThat(legacy.requestBodyBytesRead()).isEqualTo(2097152);
    }

    @Test
    void sse_sendsTheAskedNumberOfEvents() throws Exception {
        HttpResponse<String> response = get(cloud, "/events?sse=3&sse-interval-ms=10");
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
        assertThat(response.body()).isEqualTo("id: 1\ndata: {\"site\":\"cloud\",\"event\":1}\n\n"
                + "id: 2\ndata: {\"site\":\"cloud\",\"event\":2}\n\n"
                + "id: 3\ndata: {\"site\":\"cloud\",\"event\":3}\n\n");
    }

    @Test
    void endlessSse_closedByTheClient_isRecordedAsAborted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.getOutputStream().write("GET /events?sse=0&sse-interval-ms=20 HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readUntil(in, "data: ");
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("transfer-encoding: chunked");
        }
        Completed done = log.await(Completed.class, c -> true, WAIT);
        assertThat(done.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(done.responseBodyBytes()).isPositive();
    }

    @Test
    void heldRequest_whoseClientHangsUp_isRecordedAsAbortedAtOnce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.getOutputStream().write("GET /held?gate=never HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            log.await(Received.class, r -> true, WAIT);
        }
        Completed done = log.await(Completed.class, c -> true, WAIT);
        assertThat(done.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(done.responseBodyBytes()).isZero();
    }

    @Test
    void echoHeaders_listsTheRequestHeaders() throws Exception {
        HttpResponse<String> response = get(legacy, "/e?echo-headers=true", "X-Custom", "one");
        assertThat(response.body()).contains("\"x-custom\":\"one\"");
    }

    @Test
    void keepAlive_servesSeveralRequestsOnOneConnection_andHttp10Closes() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET /k HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String response = readUntil(socket.getInputStream(), "}\n");
                assertThat(response).contains("\"connection\":1");
            }
        }
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /old HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.0 200 OK\r\n").contains("content-length: ").endsWith("}\n");
        }
        assertThat(legacy.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder_evenWhenTheFirstIsSlow() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", legacy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /first?delay-ms=200 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int first = all.indexOf("\"path\":\"/first\"");
            int second = all.indexOf("\"path\":\"/second\",\"tenant\":null,\"bodyBytes\":5");
            int third = all.indexOf("\"path\":\"/third\"");
            assertThat(first).isNotNegative();
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
        }
        List<Completed> done = log.awaitCount(Completed.class, c -> true, 3, WAIT);
        assertThat(done).extracting(c -> c.request().path()).containsExactly("/first", "/second", "/third");
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }
}

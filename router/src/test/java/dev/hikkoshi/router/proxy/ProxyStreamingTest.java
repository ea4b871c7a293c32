package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bodies are streamed, not aggregated, with back-pressure: a reader that stops stalls the writer on the other
 * side of the proxy with a bounded number of bytes in between.
 */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyStreamingTest {
    private static final long TOTAL = 100L * 1024 * 1024;
    /** Socket buffers on loopback auto-tune to a few MiB each; four of them plus the proxy's 64 KiB marks. */
    private static final long BOUND = 32L * 1024 * 1024;

    @Test
    void upload_reachesTheUpstreamBeforeTheClientFinished_andAStalledUpstreamStallsTheClient() throws Exception {
        AtomicLong upstreamRead = new AtomicLong();
        CountDownLatch firstBytes = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicLong clientSent = new AtomicLong();
        AtomicLong sentWhenFirstArrived = new AtomicLong(-1);
        try (TestBackend sink = TestBackend.raw("sink", (n, in, out, backend) -> {
            HttpWire.readHead(in);
            byte[] buf = new byte[64 * 1024];
            int r = in.read(buf);
            upstreamRead.addAndGet(r);
            sentWhenFirstArrived.set(clientSent.get());
            firstBytes.countDown();
            resume.await(20, TimeUnit.SECONDS);
            while (upstreamRead.get() < TOTAL && (r = in.read(buf)) > 0) {
                upstreamRead.addAndGet(r);
            }
            TestBackend.respond(out, 200, "got " + upstreamRead.get(), false);
        }); ProxyFixture proxy = new ProxyFixture(b -> b.maxBodyBytes(TOTAL))) {
            proxy.routing.site(TestRouting.A, sink.port());
            try (ProxyFixture.Client client = proxy.client()) {
                client.send("POST /upload HTTP/1.1\r\nHost: acme.test\r\nContent-Length: " + TOTAL + "\r\n\r\n");
                Thread writer = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        while (clientSent.get() < TOTAL) {
                            client.out.write(chunk);
                            clientSent.addAndGet(chunk.length);
                        }
                    } catch (java.io.IOException e) {
                        // reported by the assertions below
                    }
                });
                writer.start();
                assertThat(firstBytes.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(sentWhenFirstArrived.get()).as("client bytes sent when the upstream got its first")
                        .isLessThan(TOTAL);
                long stalledAt = awaitStalled(clientSent);
                assertThat(stalledAt).as("client is stalled").isLessThan(TOTAL);
                System.out.printf("upload: first upstream bytes after %d client bytes; stalled with %d buffered%n",
                        sentWhenFirstArrived.get(), stalledAt - upstreamRead.get());
                assertThat(stalledAt - upstreamRead.get()).as("bytes buffered between client and upstream")
                        .isLessThan(BOUND);
                resume.countDown();
                writer.join(30_000);
                HttpWire.Message response = client.response();
                assertThat(response.bodyText()).isEqualTo("got " + TOTAL);
            }
        }
    }

    @Test
    void download_isStreamed_andAStalledClientStallsTheUpstream() throws Exception {
        AtomicLong upstreamSent = new AtomicLong();
        try (TestBackend source = TestBackend.raw("source", (n, in, out, backend) -> {
            HttpWire.readRequest(in);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + TOTAL + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            while (upstreamSent.get() < TOTAL) {
                out.write(chunk);
                upstreamSent.addAndGet(chunk.length);
            }
            out.flush();
            Thread.sleep(2000);
        }); ProxyFixture proxy = new ProxyFixture()) {
            proxy.routing.site(TestRouting.A, source.port());
            try (ProxyFixture.Client client = proxy.client()) {
                client.socket.setReceiveBufferSize(64 * 1024);
                client.send("GET /download HTTP/1.1\r\nHost: acme.test\r\n\r\n");
                InputStream in = client.in;
                assertThat(HttpWire.readHead(in)).startsWith("HTTP/1.1 200");
                long read = in.readNBytes(1024).length;
                long stalledAt = awaitStalled(upstreamSent);
                assertThat(stalledAt).as("upstream is stalled").isLessThan(TOTAL);
                System.out.printf("download: stalled with %d buffered%n", stalledAt - read);
                assertThat(stalledAt - read).as("bytes buffered between upstream and client").isLessThan(BOUND);
                byte[] buf = new byte[256 * 1024];
                int r;
                while (read < TOTAL && (r = in.read(buf)) > 0) {
                    read += r;
                }
                assertThat(read).isEqualTo(TOTAL);
            }
        }
    }

    /** Waits until the counter has not moved for 500 ms (buffers full), at most 20 s; returns its value. */
    private static long awaitStalled(AtomicLong counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = counter.get();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = counter.get();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the writer never stalled: " + last + " bytes sent");
    }
}

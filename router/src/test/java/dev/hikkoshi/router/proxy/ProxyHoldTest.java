package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data-path side of a freeze: held requests stop being read, wait, then go where the tenant is placed. */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyHoldTest {
    private TestBackend legacy;
    private TestBackend cloud;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        legacy = TestBackend.http("legacy");
        cloud = TestBackend.http("cloud");
        proxy = new ProxyFixture();
        proxy.routing.site(TestRouting.A, legacy.port());
        proxy.routing.site(TestRouting.B, cloud.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        legacy.close();
        cloud.close();
    }

    private void awaitHeld(String tenant, int count) throws InterruptedException {
        for (int i = 0; i < 500 && proxy.routing.heldCount(tenant) < count; i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.routing.heldCount(tenant)).isEqualTo(count);
    }

    @Test
    void heldRequest_andTheOnePipelinedBehindIt_goToTheNewSiteOnRelease_whileOtherTenantsAreServed() throws Exception {
        proxy.routing.frozen.add("acme");
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("POST /order HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\n"
                    + "Host: acme.test\r\n\r\n");
            awaitHeld("acme", 1);
            assertThat(proxy.exchange("GET /other HTTP/1.1\r\nHost: globex.test\r\n\r\n").bodyText())
                    .isEqualTo("legacy GET /other 0");
            assertThat(legacy.received.poll(1, TimeUnit.SECONDS).message().firstLine()).contains("/other");
            assertThat(legacy.received).isEmpty();
            assertThat(cloud.received).isEmpty();

            proxy.routing.placement.put("acme", TestRouting.B);
            proxy.routing.release("acme");
            assertThat(client.response().bodyText()).isEqualTo("cloud POST /order 5");
            assertThat(client.response().bodyText()).isEqualTo("cloud GET /next 0");
        }
        assertThat(legacy.received).isEmpty();
        awaitZeroInFlight();
        assertThat(proxy.routing.finished.get()).isEqualTo(3);
    }

    @Test
    void heldRequestWithALargeBody_isNotReadWhileHeld() throws Exception {
        proxy.routing.frozen.add("acme");
        int total = 32 * 1024 * 1024;
        try (ProxyFixture.Client client = proxy.client()) {
            client.socket.setSendBufferSize(64 * 1024);
            client.send("POST /big HTTP/1.1\r\nHost: acme.test\r\nContent-Length: " + total + "\r\n\r\n");
            awaitHeld("acme", 1);
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (sent.get() < total) {
                        client.out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException e) {
                    // the test failed or closed the socket
                }
            });
            writer.start();
            Thread.sleep(1000);
            long whileHeld = sent.get();
            Thread.sleep(500);
            assertThat(sent.get()).as("bytes the client could send while held").isEqualTo(whileHeld).isLessThan(total);
            proxy.routing.release("acme");
            writer.join(30_000);
            assertThat(client.response().bodyText()).isEqualTo("legacy POST /big " + total);
        }
    }

    @Test
    void refusedHold_gives503WithRetryAfter() throws Exception {
        proxy.routing.frozen.add("acme");
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /x HTTP/1.1\r\nHost: acme.test\r\n\r\n");
            awaitHeld("acme", 1);
            proxy.routing.refuseHeld("acme");
            HttpWire.Message response = client.response();
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("2");
            assertThat(response.bodyText()).isEqualTo("503 Service Unavailable: tenant acme is being moved\n");
        }
        assertThat(legacy.received).isEmpty();
    }

    @Test
    void clientLeavingWhileHeld_stillFinishesTheGatesHandleOnRelease() throws Exception {
        proxy.routing.frozen.add("acme");
        try (ProxyFixture.Client client = proxy.client()) {
            client.send("GET /gone HTTP/1.1\r\nHost: acme.test\r\n\r\n");
            awaitHeld("acme", 1);
        }
        Thread.sleep(200);
        proxy.routing.release("acme");
        awaitZeroInFlight();
        assertThat(proxy.routing.finished.get()).isEqualTo(1);
        assertThat(legacy.received).isEmpty();
        ProxyServer server = proxy.server;
        assertThat(server.awaitInFlight(java.time.Instant.now().plusSeconds(5))).isTrue();
    }

    private void awaitZeroInFlight() throws InterruptedException {
        for (int i = 0; i < 500 && proxy.routing.inFlight.get() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.routing.inFlight.get()).isZero();
    }
}

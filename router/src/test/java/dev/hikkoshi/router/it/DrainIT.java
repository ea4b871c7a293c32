package dev.hikkoshi.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM's drain, through the assembly: stop accepting, finish what is in flight, then report. */
@Timeout(60)
class DrainIT {
    @TempDir
    Path dir;
    RouterFixture fx;
    Router router;

    @AfterEach
    void stop() {
        fx.legacy.openGate("drain");
        router.close();
        fx.close();
    }

    @Test
    void drain_stopsAcceptingAndWaitsForTheRequestInFlight() throws Exception {
        fx = new RouterFixture(dir);
        router = fx.start("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: legacy
                """);
        InetSocketAddress proxy = router.proxyAddress();
        CompletableFuture<RawClient.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.get(proxy, "acme.shop.test", "/long?gate=drain");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        fx.log.await(Received.class, r -> r.request().path().equals("/long"), Duration.ofSeconds(20));

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return router.drain(Instant.now().plusSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (accepts(proxy)) {
            assertThat(System.nanoTime()).as("the listener closes").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThatThrownBy(() -> RawClient.get(proxy, "acme.shop.test", "/new")).isInstanceOf(IOException.class);
        assertThat(drained).isNotDone();

        fx.legacy.openGate("drain");
        assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        RawClient.Response r = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Connection")).isEqualTo("close");
    }

    private static boolean accepts(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

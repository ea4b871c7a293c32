package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy behaves the same on every socket transport this machine offers: the other proxy tests run on
 * the default (io_uring where available), these run the basic exchanges on each one, so that the fallbacks
 * a kernel without io_uring gets are not left untested.
 */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class ProxyTransportTest {
    static Stream<Transport> availableTransports() {
        return Arrays.stream(Transport.values()).filter(Transport::available);
    }

    @ParameterizedTest
    @MethodSource("availableTransports")
    void everyTransport_forwardsBodiesBothWays_andReusesTheUpstreamConnection(Transport transport) throws Exception {
        try (TestBackend backend = TestBackend.http("a1");
             ProxyFixture proxy = new ProxyFixture(b -> b.transport(transport))) {
            proxy.routing.site(TestRouting.A, backend.port());
            assertThat(proxy.server.transport()).isEqualTo(transport);
            try (ProxyFixture.Client client = proxy.client()) {
                client.send("GET /one HTTP/1.1\r\nHost: acme.test\r\n\r\n");
                assertThat(client.response().bodyText()).isEqualTo("a1 GET /one 0");
                client.send("POST /two HTTP/1.1\r\nHost: acme.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n");
                assertThat(client.response().bodyText()).isEqualTo("a1 POST /two 5");
                client.send("PUT /three HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 4\r\n\r\nabcd");
                assertThat(client.response().bodyText()).isEqualTo("a1 PUT /three 4");
            }
            int first = backend.received.poll(5, TimeUnit.SECONDS).connection();
            assertThat(backend.received.poll(5, TimeUnit.SECONDS).connection()).isEqualTo(first);
            assertThat(backend.received.poll(5, TimeUnit.SECONDS).connection()).isEqualTo(first);
        }
    }

    @Test
    void aPreferenceFallsBackOnlyToTransportsAfterIt() {
        assertThat(Transport.firstAvailableFrom(Transport.NIO)).isEqualTo(Transport.NIO);
        Transport best = Transport.firstAvailableFrom(Transport.IO_URING);
        assertThat(best.available()).isTrue();
        assertThat(availableTransports().findFirst()).contains(best);
    }
}

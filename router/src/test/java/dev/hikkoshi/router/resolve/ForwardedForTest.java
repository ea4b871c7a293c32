package dev.hikkoshi.router.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.router.config.AddressSet;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
    private final ForwardedFor ff = new ForwardedFor(AddressSet.of("10.0.0.0/8", "fd00::/8"));

    private static HttpHeaders xff(String... values) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String v : values) {
            h.add("X-Forwarded-For", v);
        }
        return h;
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void untrustedPeer_isTheClientWhateverItClaims() throws Exception {
        assertThat(ff.client(ip("198.51.100.7"), xff("203.0.113.1"))).isEqualTo(ip("198.51.100.7"));
    }

    @Test
    void trustedPeer_rightmostUntrustedEntryIsTheClient() throws Exception {
        assertThat(ff.client(ip("10.0.0.1"), xff("1.1.1.1, 203.0.113.9, 10.0.0.2"))).isEqualTo(ip("203.0.113.9"));
        assertThat(ff.client(ip("10.0.0.1"), xff("1.1.1.1", "203.0.113.9:4711"))).isEqualTo(ip("203.0.113.9"));
        assertThat(ff.client(ip("10.0.0.1"), xff("[2001:db8::5]:80"))).isEqualTo(ip("2001:db8::5"));
        assertThat(ff.client(ip("fd00::1"), xff("2001:db8::6"))).isEqualTo(ip("2001:db8::6"));
    }

    @Test
    void trustedPeer_everyEntryTrusted_leftmostIsTheClient() throws Exception {
        assertThat(ff.client(ip("10.0.0.1"), xff("10.0.0.3, 10.0.0.2"))).isEqualTo(ip("10.0.0.3"));
        assertThat(ff.client(ip("10.0.0.1"), xff())).isEqualTo(ip("10.0.0.1"));
    }

    @Test
    void trustedPeer_garbageEntry_stopsAtTheLastTrustedHop() throws Exception {
        assertThat(ff.client(ip("10.0.0.1"), xff("203.0.113.9, unknown, 10.0.0.2"))).isEqualTo(ip("10.0.0.2"));
        assertThat(ff.client(ip("10.0.0.1"), xff("evil.example.com"))).isEqualTo(ip("10.0.0.1"));
    }

    @Test
    void ipv4MappedPeer_matchesIpv4Blocks() throws Exception {
        assertThat(ff.client(ip("::ffff:10.0.0.1"), xff("203.0.113.9"))).isEqualTo(ip("203.0.113.9"));
    }
}

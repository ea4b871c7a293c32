package dev.hikkoshi.router.resolve;

import dev.hikkoshi.router.config.AddressSet;
import dev.hikkoshi.router.config.Cidr;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a request's client address: the TCP peer, unless the peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right and the first address that is not a trusted proxy is the
 * client (entries left of it were written by the client itself and prove nothing). Used by the resolver.
 */
public record ForwardedFor(AddressSet trustedProxies) {
    public InetAddress client(InetAddress peer, HttpHeaders headers) {
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> entries = new ArrayList<>();
        for (String value : headers.getAll("X-Forwarded-For")) {
            for (String e : value.split(",")) {
                entries.add(e.trim());
            }
        }
        InetAddress candidate = peer;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Optional<InetAddress> a = address(entries.get(i));
            if (a.isEmpty()) {
                return candidate; // garbage written by whoever is left of the last trusted hop
            }
            candidate = a.get();
            if (!trustedProxies.contains(candidate)) {
                return candidate;
            }
        }
        return candidate;
    }

    /** An X-Forwarded-For entry: an IP literal, optionally with a port ({@code 1.2.3.4:5}, {@code [::1]:5}). */
    static Optional<InetAddress> address(String entry) {
        String e = entry;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            e = e.substring(1, close);
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            e = e.substring(0, e.indexOf(':')); // IPv4 with a port
        }
        return Cidr.literal(e);
    }
}

package dev.hikkoshi.router.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One block of IP addresses ({@code 10.0.0.0/16}, {@code ::1/128}, or a single address), as written in
 * {@code trusted-proxies} and {@code trusted-clients}. Parsed without any DNS lookup.
 */
public record Cidr(String text, InetAddress network, int prefixBits) {
    public static final String FORMAT = "an IP address or CIDR block such as 10.0.0.0/16 or ::1/128";

    /** Parses {@code address[/bits]}; empty when it is not an IP literal with a prefix that fits it. */
    public static Optional<Cidr> parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        Optional<InetAddress> address = literal(slash < 0 ? t : t.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int maxBits = address.get().getAddress().length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            String b = t.substring(slash + 1);
            if (!b.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            bits = Integer.parseInt(b);
            if (bits > maxBits) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(t, address.get(), bits));
    }

    /**
     * An IP literal (IPv4, IPv6, IPv6 in brackets) as an address, never resolving a name; IPv4-mapped IPv6
     * addresses come back as IPv4, so {@code ::ffff:10.0.0.1} matches {@code 10.0.0.0/8}.
     */
    public static Optional<InetAddress> literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(t);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress();
        byte[] a = address.getAddress();
        if (a.length != net.length) {
            return false;
        }
        int full = prefixBits / 8;
        if (!Arrays.equals(net, 0, full, a, 0, full)) {
            return false;
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (a[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}

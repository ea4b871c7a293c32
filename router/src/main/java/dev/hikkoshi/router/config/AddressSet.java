package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A list of CIDR blocks (trusted proxies, a rule's trusted clients); the resolver asks it about addresses. */
public record AddressSet(List<Cidr> blocks) {
    public AddressSet {
        blocks = List.copyOf(blocks);
    }

    public static AddressSet none() {
        return new AddressSet(List.of());
    }

    public static AddressSet of(String... cidrs) {
        return new AddressSet(Arrays.stream(cidrs).map(c -> Cidr.parse(c).orElseThrow(
                () -> new IllegalArgumentException("not a CIDR block: " + c))).toList());
    }

    public boolean contains(InetAddress address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Binds a list of CIDR blocks, recording a problem for each item that is not one. */
    static AddressSet bind(ConfigNode node) {
        if (!node.isPresent()) {
            return none();
        }
        List<Cidr> out = new ArrayList<>();
        for (ConfigNode item : node.items()) {
            Optional<Cidr> c = item.text().flatMap(Cidr::parse);
            if (c.isEmpty()) {
                item.problem(Cidr.FORMAT);
            } else {
                out.add(c.get());
            }
        }
        return new AddressSet(out);
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}

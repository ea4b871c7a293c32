package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.util.Optional;

/**
 * One rule of {@code router.tenant-from}: where a request names its tenant. Rules are tried in order by the
 * tenant resolver. Header, cookie and query rules carry the clients whose hint is believed.
 */
public sealed interface TenantRule {
    String PLACEHOLDER = "{tenant}";

    /** {@code {tenant}.shop.example.com}: the tenant is one label of the Host (compared in lower case). */
    record Host(String pattern) implements TenantRule {
    }

    /** {@code /t/{tenant}/}: the tenant is a path segment; with {@code strip} the prefix is not forwarded. */
    record Path(String pattern, boolean strip) implements TenantRule {
    }

    /** A request header naming the tenant, believed only from {@code trustedClients}. */
    record Header(String name, AddressSet trustedClients) implements TenantRule {
    }

    /** A cookie naming the tenant, believed only from {@code trustedClients}. */
    record Cookie(String name, AddressSet trustedClients) implements TenantRule {
    }

    /** A query parameter naming the tenant, believed only from {@code trustedClients}. */
    record Query(String name, AddressSet trustedClients) implements TenantRule {
    }

    String EXPECTED = "one of {host: \"{tenant}.shop.example.com\"}, {path: \"/t/{tenant}/\", strip: true},"
            + " {header: X-Tenant, trusted-clients: [...]}, {cookie: NAME, trusted-clients: [...]},"
            + " {query: NAME, trusted-clients: [...]}";

    static Optional<TenantRule> bind(ConfigNode node) {
        if (!node.isMap()) {
            node.problem(EXPECTED);
            return Optional.empty();
        }
        String kind = null;
        for (String k : new String[] {"host", "path", "header", "cookie", "query"}) {
            if (node.get(k).isPresent()) {
                if (kind != null) {
                    node.problem("exactly one of host, path, header, cookie, query in each rule");
                    return Optional.empty();
                }
                kind = k;
            }
        }
        if (kind == null) {
            node.problem(EXPECTED);
            return Optional.empty();
        }
        ConfigNode value = node.get(kind);
        switch (kind) {
            case "host" -> {
                node.allowOnly("host");
                String p = value.text("");
                if (!p.matches("[A-Za-z0-9.{}-]+") || count(p) != 1 || p.startsWith(".")) {
                    value.problem("a host name with one {tenant} label, such as {tenant}.shop.example.com");
                    return Optional.empty();
                }
                return Optional.of(new Host(p));
            }
            case "path" -> {
                node.allowOnly("path", "strip");
                String p = value.text("");
                int at = p.indexOf(PLACEHOLDER);
                int after = at + PLACEHOLDER.length();
                if (!p.startsWith("/") || count(p) != 1 || p.charAt(at - 1) != '/'
                        || (after < p.length() && p.charAt(after) != '/')
                        || p.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '?' || c == '#')) {
                    value.problem("a path prefix with {tenant} as one whole segment, such as /t/{tenant}/");
                    return Optional.empty();
                }
                return Optional.of(new Path(p, node.get("strip").bool(false)));
            }
            default -> {
                node.allowOnly(kind, "trusted-clients");
                String name = value.text("");
                if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    value.problem("a " + kind + " name such as " + (kind.equals("header") ? "X-Tenant" : "tenant"));
                    return Optional.empty();
                }
                ConfigNode trusted = node.get("trusted-clients");
                if (!trusted.require("a list of the CIDR blocks whose " + kind + " is believed, such as [10.0.5.0/24]"
                        + " ([0.0.0.0/0, ::/0] believes everyone)")) {
                    return Optional.empty();
                }
                AddressSet clients = AddressSet.bind(trusted);
                return Optional.of(switch (kind) {
                    case "header" -> new Header(name, clients);
                    case "cookie" -> new Cookie(name, clients);
                    default -> new Query(name, clients);
                });
            }
        }
    }

    private static int count(String pattern) {
        int n = 0;
        for (int i = pattern.indexOf(PLACEHOLDER); i >= 0; i = pattern.indexOf(PLACEHOLDER, i + 1)) {
            n++;
        }
        return n;
    }
}

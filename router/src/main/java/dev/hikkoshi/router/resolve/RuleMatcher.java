package dev.hikkoshi.router.resolve;

import dev.hikkoshi.router.config.AddressSet;
import dev.hikkoshi.router.config.TenantRule;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** One compiled {@code tenant-from} rule: finds a tenant name in a request. Used by {@link TenantResolver}. */
sealed interface RuleMatcher {
    /** A tenant name a rule found, and the path to forward (changed only by a stripping path rule). */
    record Match(String tenant, String forwardPath) {
    }

    /** The parts of a request the rules look at. */
    record Request(String host, String path, String query, HttpHeaders headers,
                   InetAddress client) {
    }

    Optional<Match> match(Request request);

    static RuleMatcher compile(TenantRule rule) {
        // Java 17 has no pattern matching for switch: an instanceof chain over the sealed rule types
        if (rule instanceof TenantRule.Host h) {
            String pattern = h.pattern().toLowerCase(Locale.ROOT);
            int at = pattern.indexOf(TenantRule.PLACEHOLDER);
            return new HostMatcher(pattern.substring(0, at), pattern.substring(at + TenantRule.PLACEHOLDER.length()));
        }
        if (rule instanceof TenantRule.Path p) {
            int at = p.pattern().indexOf(TenantRule.PLACEHOLDER);
            return new PathMatcher(p.pattern().substring(0, at),
                    p.pattern().substring(at + TenantRule.PLACEHOLDER.length()), p.strip());
        }
        if (rule instanceof TenantRule.Header h) {
            return new HintMatcher(HintMatcher.Kind.HEADER, h.name(), h.trustedClients());
        }
        if (rule instanceof TenantRule.Cookie c) {
            return new HintMatcher(HintMatcher.Kind.COOKIE, c.name(), c.trustedClients());
        }
        TenantRule.Query q = (TenantRule.Query) rule;
        return new HintMatcher(HintMatcher.Kind.QUERY, q.name(), q.trustedClients());
    }

    /**
     * {@code {tenant}.shop.example.com}: one label of the Host, compared in lower case, port ignored. Matched
     * by comparing the fixed text around the label, not with a regular expression: it runs for every request.
     */
    record HostMatcher(String before, String after) implements RuleMatcher {
        @Override
        public Optional<Match> match(Request r) {
            String host = r.host();
            if (host == null || host.length() <= before.length() + after.length()
                    || !host.startsWith(before) || !host.endsWith(after)) {
                return Optional.empty();
            }
            int end = host.length() - after.length();
            for (int i = before.length(); i < end; i++) {
                char c = host.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Match(host.substring(before.length(), end), r.path()));
        }
    }

    /**
     * {@code /t/{tenant}/}: the path starts with {@code before}, then the tenant's segment, then {@code after}
     * (a path that stops right before {@code after}'s trailing slash matches too). With {@code strip}, what
     * follows is forwarded as the path.
     */
    record PathMatcher(String before, String after, boolean strip) implements RuleMatcher {
        @Override
        public Optional<Match> match(Request r) {
            String path = r.path();
            if (!path.startsWith(before)) {
                return Optional.empty();
            }
            int end = path.indexOf('/', before.length());
            String tenant = end < 0 ? path.substring(before.length()) : path.substring(before.length(), end);
            String rest = end < 0 ? "" : path.substring(end);
            if (tenant.isEmpty()) {
                return Optional.empty();
            }
            String remaining;
            if (rest.startsWith(after)) {
                remaining = rest.substring(after.length());
            } else if (after.endsWith("/") && rest.equals(after.substring(0, after.length() - 1))) {
                remaining = "";
            } else {
                return Optional.empty();
            }
            String forward = !strip ? path : remaining.startsWith("/") ? remaining : "/" + remaining;
            return Optional.of(new Match(tenant, forward));
        }
    }

    /** A header, cookie or query parameter naming the tenant, believed only from the rule's trusted clients. */
    record HintMatcher(Kind kind, String name, AddressSet trustedClients) implements RuleMatcher {
        enum Kind { HEADER, COOKIE, QUERY }

        @Override
        public Optional<Match> match(Request r) {
            if (!trustedClients.contains(r.client())) {
                return Optional.empty();
            }
            Set<String> values = new HashSet<>();
            switch (kind) {
                case HEADER -> r.headers().getAll(name).forEach(v -> values.add(v.trim()));
                case COOKIE -> {
                    for (String header : r.headers().getAll(HttpHeaderNames.COOKIE)) {
                        for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
                            if (c.name().equals(name)) {
                                values.add(c.value());
                            }
                        }
                    }
                }
                case QUERY -> {
                    if (r.query() != null) {
                        List<String> q = new QueryStringDecoder(r.query(), StandardCharsets.UTF_8, false)
                                .parameters().get(name);
                        if (q != null) {
                            values.addAll(q);
                        }
                    }
                }
            }
            // two different hints in one request name no tenant: the application might read the other one
            return values.size() == 1 ? Optional.of(new Match(values.iterator().next(), r.path())) : Optional.empty();
        }
    }
}

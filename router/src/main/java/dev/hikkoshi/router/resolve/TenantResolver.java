package dev.hikkoshi.router.resolve;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.router.route.RequestRouter;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.RouteDecision;
import dev.hikkoshi.router.table.RoutingTableHolder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Resolves each request's tenant and site: the client address after {@code trusted-proxies}, then the
 * {@code tenant-from} rules in order (the first that names a known tenant wins; hints from untrusted clients
 * are ignored), then the tenant's placement in the routing table. A tenant that is known but not placed,
 * and a request naming no known tenant, go to {@code unknown-tenant}'s site, or get 503 and 404 with
 * {@code unknown-tenant: reject}. The proxy calls it on the event loop for every request.
 *
 * <p>Concurrency: reads two immutable snapshots (the rules, swapped on reload, and the routing table) and
 * nothing else; no locks, no allocation beyond the route.
 */
public final class TenantResolver implements RequestRouter {
    private final RoutingTableHolder table;
    private final AtomicReference<Rules> rules;

    public TenantResolver(RouterConfig config, RoutingTableHolder table) {
        this.table = table;
        this.rules = new AtomicReference<>(Rules.of(config));
    }

    /** Applies a reloaded config's rules, trusted proxies, tenants and unknown-tenant site. */
    public void reconfigure(RouterConfig config) {
        rules.set(Rules.of(config));
    }

    /** The compiled rules and what they are judged against: one immutable snapshot. */
    record Rules(List<RuleMatcher> matchers, ForwardedFor forwardedFor, Set<TenantId> tenants,
                 Optional<SiteId> unknownSite) {
        static Rules of(RouterConfig c) {
            return new Rules(c.tenantFrom().stream().map(RuleMatcher::compile).toList(),
                    new ForwardedFor(c.trustedProxies()),
                    c.tenants().stream().map(Tenant::id).collect(Collectors.toUnmodifiableSet()),
                    c.unknownTenantSite());
        }
    }

    @Override
    public RouteDecision route(HttpRequest head, InetSocketAddress peer) {
        Rules r = rules.get();
        RoutingTable placements = table.current();
        InetAddress peerAddress = peer.getAddress();
        boolean peerTrusted = r.forwardedFor().trustedProxies().contains(peerAddress);
        InetAddress client = r.forwardedFor().client(peerAddress, head.headers());

        Target target = Target.parse(head.uri());
        String authority = head.headers().get(HttpHeaderNames.HOST);
        RuleMatcher.Request request = new RuleMatcher.Request(host(authority), target.path(), target.query(),
                head.headers(), client);
        for (RuleMatcher m : r.matchers()) {
            Optional<RuleMatcher.Match> match = m.match(request);
            if (match.isEmpty() || !TenantId.isValid(match.get().tenant())) {
                continue;
            }
            TenantId tenant = TenantId.of(match.get().tenant());
            Optional<Placement> placement = placements.placement(tenant);
            if (placement.isEmpty() && !r.tenants().contains(tenant)) {
                continue;
            }
            String forward = target.query() == null ? match.get().forwardPath()
                    : match.get().forwardPath() + "?" + target.query();
            Optional<SiteId> site = placement.map(Placement::site).or(r::unknownSite);
            if (site.isEmpty()) {
                return new RouteDecision.Rejected(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "tenant " + tenant + " is not placed on any site");
            }
            return new RouteDecision.Routed(new Route(Optional.of(tenant), site.get(),
                    target.asterisk() ? "*" : forward, client, peerTrusted));
        }
        if (r.unknownSite().isEmpty()) {
            return new RouteDecision.Rejected(HttpResponseStatus.NOT_FOUND, "unknown tenant");
        }
        return new RouteDecision.Routed(new Route(Optional.empty(), r.unknownSite().get(), target.originForm(),
                client, peerTrusted));
    }

    /** The host part of a Host header or authority, lower case, without the port. */
    static String host(String authority) {
        if (authority == null) {
            return null;
        }
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close < 0 ? a : a.substring(0, close + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }
}

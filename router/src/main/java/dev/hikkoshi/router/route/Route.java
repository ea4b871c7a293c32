package dev.hikkoshi.router.route;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one request goes: its tenant (empty for an unknown tenant sent to the default site), the site it is
 * placed on when the route was decided, the request target to forward (after a path rule's strip), and the
 * client address after {@code trusted-proxies} was applied.
 *
 * @param peerTrusted whether the TCP peer is a trusted proxy: its X-Forwarded-* headers are appended to,
 *                    otherwise they are overwritten
 */
public record Route(Optional<TenantId> tenant, SiteId site, String forwardTarget, InetAddress client,
                    boolean peerTrusted) {
    public Route {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(forwardTarget, "forwardTarget");
        Objects.requireNonNull(client, "client");
    }

    /** The tenant's name for logs and metrics, "-" when unknown. */
    public String tenantLabel() {
        return tenant.map(TenantId::value).orElse("-");
    }

    /** The same route sent to another site (a held request released after its tenant moved). */
    public Route atSite(SiteId newSite) {
        return new Route(tenant, newSite, forwardTarget, client, peerTrusted);
    }
}

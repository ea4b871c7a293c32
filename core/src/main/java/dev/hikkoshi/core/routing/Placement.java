package dev.hikkoshi.core.routing;

import java.util.Objects;

/** Where a tenant is served now, and whether routers hold its new requests (frozen) during a cutover. */
public record Placement(SiteId site, boolean frozen) {
    public Placement {
        Objects.requireNonNull(site, "site");
    }

    public static Placement at(SiteId site) {
        return new Placement(site, false);
    }

    public Placement freeze() {
        return new Placement(site, true);
    }

    public Placement release() {
        return new Placement(site, false);
    }

    public Placement moveTo(SiteId newSite) {
        return new Placement(newSite, frozen);
    }
}

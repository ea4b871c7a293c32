package dev.hikkoshi.router.route;

import dev.hikkoshi.core.routing.SiteId;
import java.net.URI;

/** One upstream server of a site, as configured ({@code http://10.0.1.10:3000}). */
public record UpstreamTarget(SiteId site, String host, int port, URI uri) {
    /** {@code host:port}, for logs and the Host-independent parts of messages. */
    public String authority() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}

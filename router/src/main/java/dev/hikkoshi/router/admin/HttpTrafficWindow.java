package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.traffic.TrafficWindow;
import java.net.URI;
import java.time.Duration;

/**
 * {@link TrafficWindow} read from a router's admin API ({@code GET /stats}): how the controller and the watch
 * module see each router's traffic; snapshots of several routers add up with {@link TrafficWindow#merge}.
 */
public final class HttpTrafficWindow implements TrafficWindow {
    private final AdminClient client;

    /** The same arguments as {@link HttpRouterControl}. */
    public HttpTrafficWindow(URI adminUrl, String token, Duration timeout) {
        this.client = new AdminClient(adminUrl, token, timeout);
    }

    @Override
    public Snapshot window(Duration length) {
        return client.get("/stats?window=" + DurationText.format(length), "stats", AdminJson::snapshot);
    }

    @Override
    public String toString() {
        return "HttpTrafficWindow[" + client.base() + "]";
    }
}

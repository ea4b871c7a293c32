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
        String path = "/stats?window=" + DurationText.format(length);
        try {
            return AdminJson.snapshot(client.send("GET", path, null, client.timeout(), 200));
        } catch (AdminJson.BadDocumentException e) {
            throw new AdminApiException("router admin " + client.base() + " GET " + path
                    + " answered stats we cannot read: " + e.getMessage(), 200, e);
        }
    }

    @Override
    public String toString() {
        return "HttpTrafficWindow[" + client.base() + "]";
    }
}

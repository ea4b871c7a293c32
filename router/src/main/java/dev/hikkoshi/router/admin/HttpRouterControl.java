package dev.hikkoshi.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.config.DurationText;
import java.net.URI;
import java.time.Duration;

/**
 * {@link RouterControl} over a router's admin API: what the controller uses to drive each router listed in
 * its config. Each call blocks until the router answered; a failure is an {@link AdminApiException} (or, for a
 * refused token, a {@code UserException}) whose message names the router's admin URL.
 */
public final class HttpRouterControl implements RouterControl {
    private final AdminClient client;

    /**
     * @param adminUrl the router's admin listener, {@code http://host:port}
     * @param token    a token of the router's {@code router.admin.tokens}
     * @param timeout  how long to wait for a connection and for an answer (a freeze waits this plus its drain)
     */
    public HttpRouterControl(URI adminUrl, String token, Duration timeout) {
        this.client = new AdminClient(adminUrl, token, timeout);
    }

    @Override
    public String name() {
        return client.base().toString();
    }

    @Override
    public long push(RoutingTable table) {
        JsonNode answer = client.send("PUT", "/table", AdminJson.write(AdminJson.table(table)), client.timeout(), 200);
        return version(answer, "PUT /table");
    }

    @Override
    public long appliedVersion() {
        return version(client.send("GET", "/health", null, client.timeout(), 200), "GET /health");
    }

    @Override
    public RoutingTable table() {
        return client.get("/table", "a table", AdminJson::table);
    }

    @Override
    public FreezeReport freeze(TenantId tenant, Duration drainTimeout) {
        String path = "/tenants/" + tenant.value() + "/freeze?drain-timeout=" + DurationText.format(drainTimeout);
        JsonNode answer = client.send("POST", path, null, drainTimeout.plus(client.timeout()), 200, 409);
        if (answer.has("openRequests")) {
            throw new FreezeFailedException(tenant, name(), AdminJson.strings(answer.path("openRequests")));
        }
        return client.read(answer, "POST " + path, "a report", AdminJson::freezeReport);
    }

    @Override
    public void release(TenantId tenant) {
        client.send("POST", "/tenants/" + tenant.value() + "/release", null, client.timeout(), 200);
    }

    private long version(JsonNode answer, String request) {
        JsonNode v = answer.has("version") ? answer.path("version") : answer.path("tableVersion");
        if (!v.isIntegralNumber()) {
            throw new AdminApiException("router admin " + name() + " " + request + " answered without a table version: "
                    + answer, 200, null);
        }
        return v.asLong();
    }

    @Override
    public String toString() {
        return "HttpRouterControl[" + name() + "]";
    }
}

package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes the config file the demo's router starts from: the two sites pointing at the recording backends,
 * each with its sandbox database, the tenants, a router on 127.0.0.1 (any free port) with tenants named by the
 * Host header, the sample shop's tables for the data engine, and the state directory inside the demo's
 * temporary directory. It is an ordinary config file: the report names it so
 * that a reader can start the same router by hand.
 */
final class DemoConfig {
    /** The environment variable the demo's admin token is read from (the demo makes a random one). */
    static final String TOKEN_ENV = "HIKKOSHI_DEMO_TOKEN";

    private DemoConfig() {
    }

    /** @param maxHold how long the router may hold a frozen tenant's request: longer than the demo's freeze */
    static Path write(Path dir, Map<SiteId, URI> sites, Map<SiteId, String> databases, List<TenantId> tenants,
                      Duration maxHold) throws IOException {
        // The legacy server has no binlog (it stands in for an old MySQL), so its capture mode is triggers;
        // nothing in the demo captures changes yet (issue 4), the mode only has to be true of the server.
        String siteLines = sites.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "  " + e.getKey() + ":\n    upstreams: [" + e.getValue() + "]\n"
                        + "    database: { url: \"" + databases.get(e.getKey()) + "\", user: root, capture: "
                        + (e.getKey().value().equals("legacy") ? "triggers" : "binlog") + " }\n")
                .collect(Collectors.joining());
        String tenantList = IntStream.range(0, tenants.size())
                .mapToObj(i -> "{name: " + tenants.get(i) + ", id: " + (i + 1) + "}")
                .collect(Collectors.joining(", "));
        String yaml = "# Written by hikkoshi demo: two recording backends as two sites, a router in front.\n"
                + "environment: demo\n"
                + "sites:\n" + siteLines
                + "tenants:\n  list: [" + tenantList + "]\n"
                + "router:\n"
                + "  listen: 127.0.0.1:0\n"
                + "  admin: { listen: 127.0.0.1:0, tokens: { demo: { env: " + TOKEN_ENV + " } } }\n"
                + "  tenant-from: [ { host: \"" + DemoScenario.HOST_PATTERN + "\" } ]\n"
                + "  unknown-tenant: reject\n"
                + "  freeze: { max-hold: " + maxHold.toMillis() + "ms, drain-grace: 2s }\n"
                // The report says what every client saw; an access log line per request would drown it.
                + "  access-log: false\n"
                + "data:\n"
                + "  tenant-column: tenant_id\n"
                + "  tables: { tenants: { tenant-column: id }, order_items: { via: \"order_id -> orders.id\" } }\n"
                + "state-dir: " + dir.resolve("state") + "\n";
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}

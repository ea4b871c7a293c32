package dev.hikkoshi.router.it;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Two recording backends as two sites ({@code legacy}, {@code cloud}) sharing one event log, and routers
 * started from a config file written for them. Each test makes its own and closes it.
 */
final class RouterFixture implements AutoCloseable {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "it-secret-token");

    final ExchangeLog log = new ExchangeLog();
    final RecordingBackend legacy;
    final RecordingBackend cloud;
    final Path dir;
    final Path configFile;

    RouterFixture(Path dir) throws InterruptedException {
        this.dir = dir;
        this.configFile = dir.resolve("hikkoshi.yaml");
        this.legacy = RecordingBackend.start(LEGACY, log);
        this.cloud = RecordingBackend.start(CLOUD, log);
    }

    /** The common part of every test config; {@code router} is the router section's body, indented by 2. */
    String config(String router) {
        return """
                sites:
                  legacy: { upstreams: ["%s"] }
                  cloud: { upstreams: ["%s"] }
                tenants:
                  list: [ { name: acme, id: 1 }, { name: globex, id: 2 }, { name: initech, id: 3 } ]
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                """.formatted(legacy.uri(), cloud.uri(), dir.resolve("state")) + router;
    }

    Router start(String router) throws IOException {
        Files.writeString(configFile, config(router));
        return Router.start(configFile, ENV);
    }

    @Override
    public void close() {
        legacy.close();
        cloud.close();
    }
}

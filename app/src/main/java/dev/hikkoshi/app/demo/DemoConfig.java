package dev.hikkoshi.app.demo;

import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the config file the demo's router and controller start from (read back through the normal config
 * loader): the two shop sites with their databases, the seeded tenants, a router on 127.0.0.1 (any free port)
 * with tenants named by the Host header, the controller's admin API, three waves (a pilot tenant, half of the
 * rest, the remainder) with a rollback line short enough for a demo, the sandbox shop's tables for the data
 * engine, and the state directory (the journal) inside the demo's temporary directory. It is an ordinary config
 * file: the report names it.
 */
final class DemoConfig {
    /** The environment variable the router's admin token is read from (the demo makes a random one). */
    static final String ROUTER_TOKEN_ENV = "HIKKOSHI_DEMO_ROUTER_TOKEN";
    /** The environment variable the controller's admin token is read from (the demo makes a random one). */
    static final String OPS_TOKEN_ENV = "HIKKOSHI_DEMO_OPS_TOKEN";
    static final String HOST_PATTERN = "{tenant}.shop.test";
    /** The rollback line, as the report describes it. */
    static final String ROLLBACK_LINE = "p99 600ms or 5% 5xx, 3 s windows, 6 s bake";
    static final String PILOT = "pilot";
    static final String HALF = "half";
    static final String REST = "rest";

    private DemoConfig() {
    }

    /** Writes {@code dir/hikkoshi.yaml} for {@code scenario}: every tenant starts on legacy and moves to cloud. */
    static Path write(Path dir, ShopSites shop, DemoDatabases databases, DemoScenario scenario) throws IOException {
        // Windows of 3 s with a 6 s bake: two bad windows roll the slow tenant back within seconds of its switch.
        // A rolled-back tenant is set aside and the plan goes on: the demo shows the other tenants still move.
        // min-requests 2: the slow tenant's three clients each wait about 2.5 s for an answer on cloud, so its 3 s
        // windows hold 3 to 6 requests; with 4, about one run in fifteen had a 3-request window, inconclusive, and
        // the bake waited for an operator instead of rolling back (seen in CI). Healthy tenants get 20 or more.
        String yaml = """
                # Written by hikkoshi demo: the sandbox shop on two sites, a router in front, three waves.
                environment: demo
                sites:
                  legacy: { upstreams: ["%s"], database: { url: "%s", user: root } }
                  cloud: { upstreams: ["%s"], database: { url: "%s", user: root } }
                tenants: { list: [ %s ] }
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: %s } } }
                  access-log: false
                  tenant-from: [ { host: "%s" } ]
                  unknown-tenant: legacy
                  freeze: { max-hold: 30s }
                  traffic-bucket: 1s
                controller:
                  admin: { listen: 127.0.0.1:0, tokens: { ops: { env: %s } } }
                plan:
                  parallel-moves: 4
                  after-rollback: continue
                  waves: [ { name: %s, tenants: [%s] }, { name: %s, tenants: "50%%" }, { name: %s, tenants: "*" } ]
                  freeze: { max: 8s }
                  rollback-line: { error-rate: 5%%, relative: 2x, p99: 600ms, window: 3s, min-requests: 2, bake: 6s,
                                   inconclusive: { max-extensions: 3, then: wait-for-approval } }
                %s""".formatted(shop.app(ShopSites.LEGACY).uri(), databases.legacy().jdbcUrl(),
                shop.app(ShopSites.CLOUD).uri(), databases.cloud().jdbcUrl(), databases.tenantEntries(),
                dir.resolve("state"), ROUTER_TOKEN_ENV, HOST_PATTERN, OPS_TOKEN_ENV, PILOT, scenario.pilot(), HALF,
                REST, ShopSchema.DATA_CONFIG);
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}

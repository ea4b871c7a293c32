package dev.hikkoshi.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.config.ConfigValidator.Use;
import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The catalogs behind docs/config.md list exactly the keys the binders read: a maximal config (every key of every
 * section, every kind of tenant rule, hook and table entry) is validated through every binder, and the key paths
 * read ({@link ConfigDocument#keysRead}) are compared with the catalogs' keys. A key a binder reads that no
 * catalog lists fails the test by name, and so does a catalog key no binder reads.
 */
class ConfigCatalogDriftTest {
    static final Map<String, String> ENVIRONMENT = Map.of("LEGACY_DB_PASSWORD", "pw1", "CLOUD_DB_PASSWORD", "pw2",
            "ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret",
            "SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/X", "HOOK_URL", "http://127.0.0.1:9/hook");

    /** Every key the binders know, each set (to a value other than its default where that matters). */
    static final String MAXIMAL = """
            environment: production
            sites:
              legacy:
                upstreams: [http://127.0.0.1:3000]
                balance: least-connections
                health: { path: /healthz, interval: 2s, timeout: 1s, healthy: 2, unhealthy: 3 }
                ejection: { connect-failures: 2, consecutive-5xx: 5, base-time: 10s, max-time: 5m, max-ejected-percent: 50 }
                database:
                  url: "jdbc:mariadb://127.0.0.1:3306/shop"
                  user: migrator
                  password-env: LEGACY_DB_PASSWORD
                  capture: triggers
                  tls: { mode: verify-ca, ca-file: /etc/ssl/hikkoshi-ca.pem }
                  charset-overrides: { orders.note: cp932 }
                  server-id: 4242
                  differential: { pass-interval: 2s, minimum-pause: 200ms }
              cloud:
                upstreams: [http://127.0.0.1:3001]
                database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: migrator, password-env: CLOUD_DB_PASSWORD }
            tenants:
              list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]
            state-dir: ./hikkoshi-state
            router:
              listen: 127.0.0.1:0
              admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
              trusted-proxies: [10.0.0.0/16]
              tenant-from:
                - { host: "{tenant}.shop.example.com" }
                - { path: "/t/{tenant}/", strip: true }
                - { header: X-Tenant, trusted-clients: [10.0.5.0/24] }
                - { cookie: tenant, trusted-clients: [10.0.5.0/24] }
                - { query: tenant, trusted-clients: [10.0.5.0/24] }
              unknown-tenant: legacy
              tenant-header: X-Hikkoshi-Tenant
              request-id-header: X-Request-Id
              via: hikkoshi
              access-log: false
              timeouts: { connect: 3s, response-header: 60s, io-idle: 60s, client-idle: 75s, header-read: 10s }
              limits: { max-request-line: 8KiB, max-header-size: 32KiB, max-headers: 100, max-body: 1GiB }
              pool: { max-connections-per-upstream: 512, max-pending: 4096, idle-timeout: 4s, connect-attempts: 3,
                      stale-retries: 1, write-buffer: 64KiB }
              io-threads: 0
              freeze: { max-held-per-tenant: 1000, max-held-bytes-per-tenant: 64MiB, max-hold: 10s, drain-grace: 5s }
              shutdown-grace: 30s
              traffic-bucket: 5s
            data:
              mode: tenant
              tenant-column: tenant_id
              tables:
                tenants: { tenant-column: id }
                order_items: { via: "order_id -> orders.id" }
                countries: { shared: { writer: legacy } }
                audit_log: { skip: true }
                orders: { target-triggers: may-fire }
              copy: { parallelism: 4, chunk-time: 1s, max-lock-time: 2s, max-rows-per-second: 10000,
                      pause-above-threads-running: 50, write: auto }
            controller:
              admin: { listen: 127.0.0.1:0, tokens: { ops: { env: OPS_TOKEN } } }
              routers: [ { admin: "http://127.0.0.1:8081", token-env: ROUTER_TOKEN } ]
            plan:
              parallel-moves: 2
              waves: [ { name: pilot, tenants: [acme], gate: approval }, { name: rest, tenants: "*" } ]
              after-rollback: continue
              retention: 7d
              start-window: { from: "22:00", to: "04:00", zone: Asia/Tokyo }
              freeze: { max: 5s }
              rollback-line: { error-rate: 2%, relative: 2x, p99: 800ms, window: 1m, min-requests: 50, bake: 10m,
                               inconclusive: { max-extensions: 3, then: wait-for-approval } }
              hooks:
                before-freeze: { command: "systemctl stop shop-worker@$HIKKOSHI_TENANT", timeout: 30s }
                after-switch: { command: [/opt/shop/bin/flush-cache, --all], timeout: 10s }
                after-rollback: { command: /opt/shop/bin/start-workers }
            alerts:
              receivers: [ { name: ops, slack-webhook-env: SLACK_WEBHOOK, webhook-url-env: HOOK_URL, env: [production],
                             budget-per-minute: 5 } ]
              routes: [ { match: [check=split-brain], receiver: ops, group-by: [tenant], group-wait: 0s,
                          group-interval: 1m, repeat-interval: 4h } ]
              inhibit: [ { source: [check=site-down], target: [tenant=~.+], equal: [site] } ]
              flapping: { fire: 3, of: 5, clear-after: 5 }
              silences-file: ./hikkoshi-state/alerts/silences.json
              signals: { lag-warning: 10s, lag-critical: 60s, move-stuck: 30m, error-rate: 5%, min-requests: 20, p99: 1s,
                         site-error-rate: 50%, interval: 5s }
            """;

    /** The other way to give tenants (the router does not take it yet, so it is validated for the controller). */
    static final String FROM_TABLE = MAXIMAL.replace("list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]",
            "from-table: { table: tenants, id: id, name: slug }");

    @Test
    void keysReadByTheBinders_areExactlyTheCatalogsKeys() {
        Set<String> read = new TreeSet<>();
        read.addAll(keysRead(MAXIMAL, Use.RUN));
        read.addAll(keysRead(FROM_TABLE, Use.CONTROLLER));
        Set<String> documented = ConfigReference.catalogs().stream().map(ConfigCatalog::keys).flatMap(List::stream)
                .map(ConfigKey::path).collect(Collectors.toCollection(TreeSet::new));

        // A key read only as the parent of documented keys (router.timeouts) needs no row of its own.
        List<String> undocumented = read.stream().filter(k -> !documented.contains(k))
                .filter(k -> documented.stream().noneMatch(d -> d.startsWith(k + ".") || d.startsWith(k + "[")))
                .toList();
        List<String> unread = documented.stream().filter(k -> !read.contains(k)).toList();

        assertThat(undocumented.isEmpty() && unread.isEmpty())
                .as("the config catalogs (docs/config.md) and the binders disagree.%n"
                        + "Read by a binder but in no catalog (add a ConfigKey to the catalog beside the binder): %s%n"
                        + "In a catalog but read by no binder (remove it, or set it in %s.MAXIMAL): %s%n"
                        + "Then regenerate docs/config.md: %s",
                        undocumented, getClass().getSimpleName(), unread, ConfigReference.REGENERATE)
                .isTrue();
    }

    @Test
    void everyCatalogKey_isUnique() {
        List<String> paths = ConfigReference.catalogs().stream().map(ConfigCatalog::keys).flatMap(List::stream)
                .map(ConfigKey::path).toList();

        assertThat(paths).doesNotHaveDuplicates();
    }

    /** Validates {@code yaml} (it must be valid: a binder stops reading at some problems) and returns what was read. */
    private static Set<String> keysRead(String yaml, Use use) {
        ConfigDocument document = ConfigDocument.parse(Path.of("maximal.yaml"), yaml, ENVIRONMENT);
        ConfigValidator.validate(document, use);
        return document.keysRead();
    }
}

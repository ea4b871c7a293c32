package dev.hikkoshi.router.config;

import static dev.hikkoshi.core.config.ConfigCatalog.literal;

import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.proxy.ProxySettings;
import dev.hikkoshi.router.site.Balance;
import dev.hikkoshi.router.site.EjectionSettings;
import dev.hikkoshi.router.site.HealthCheckSettings;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.util.List;

/**
 * The documented keys {@link RouterConfig} binds: the router's parts of each site, the {@code router} section
 * and its tenant rules. Rendered into docs/config.md by the app's generator; defaults come from the binders'
 * own constants.
 */
public final class RouterConfigKeys {
    private RouterConfigKeys() {
    }

    /** The router's part of {@code sites}, {@code router}, and {@code router.tenant-from}, in the reference's order. */
    public static List<ConfigCatalog> catalogs() {
        return List.of(sites(), router(), tenantRules());
    }

    private static ConfigCatalog sites() {
        EjectionSettings e = EjectionSettings.defaults();
        return ConfigCatalog.of("sites (the router's part)", "sites.NAME")
                .intro("Each site under `sites.NAME` may have these keys for the router (`database` belongs to the"
                        + " data engine).")
                .key("upstreams", "required", "list of `http://host[:port]` URLs (port 80 if absent; no path, query"
                        + " or user; no TLS to upstreams); at least one, none twice")
                .key("balance", literal(Balance.ROUND_ROBIN), "`round-robin` or `least-connections` (fewest"
                        + " requests in flight; ties round robin)")
                .key("health", "none", "active health checks; absent: none, every upstream counts as healthy"
                        + " unless ejected")
                .key("health.path", "required in `health`", "path GET-ed on each upstream (`/healthz`); 200–399"
                        + " within the timeout is a success")
                .key("health.interval", literal(HealthCheckSettings.DEFAULT_INTERVAL), "time between checks of one"
                        + " upstream (at least 100ms)")
                .key("health.timeout", literal(HealthCheckSettings.DEFAULT_TIMEOUT), "a check slower than this"
                        + " fails (at least 10ms)")
                .key("health.healthy", "`2`", "successes in a row that bring an upstream back (1–100)")
                .key("health.unhealthy", "`3`", "failures in a row that take it out (1–100)")
                .key("ejection.connect-failures", literal(e.connectFailures()), "failed connection attempts in a"
                        + " row that eject an upstream (1–1000)")
                .key("ejection.consecutive-5xx", literal(e.consecutive5xx()), "5xx answers in a row that eject it"
                        + " (1–100000)")
                .key("ejection.base-time", literal(e.baseTime()), "first ejection time; doubled at each repeated"
                        + " ejection")
                .key("ejection.max-time", literal(e.maxTime()), "ejection time cap; at least `base-time`")
                .key("ejection.max-ejected-percent", literal(e.maxEjectedPercent()), "at most this share of a"
                        + " site's upstreams (rounded down) is ejected at once (0–100)")
                .notes("A site with no usable upstream answers 503.")
                .build();
    }

    private static ConfigCatalog router() {
        ProxySettings d = ProxySettings.defaults();
        FreezeConfig f = FreezeConfig.DEFAULTS;
        return ConfigCatalog.of("router", "router")
                .intro("Read by `hikkoshi router` (and `hikkoshi run`). The router refuses to start while any value"
                        + " below is wrong;\na reload (`POST /reload` on the admin API, or SIGHUP) validates the"
                        + " whole file the same way and keeps the\nold config on any problem.")
                .key("listen", literal(RouterConfig.DEFAULT_LISTEN), "where the proxy accepts clients (`host:port`,"
                        + " `[v6]:port`; port 0 picks a free one)")
                .key("admin.listen", literal(AdminSettings.DEFAULT_LISTEN), "the admin API's own listener; loopback"
                        + " unless you bind it elsewhere")
                .key("admin.tokens", "required", "map of token name to `{env: VARIABLE}`; at least one. The name"
                        + " goes to the audit log")
                .key("admin.tokens.NAME.env", "required", "the variable holding the token's secret: set and not"
                        + " empty, no two tokens with one secret")
                .key("trusted-proxies", "`[]`", "CIDR blocks (or single addresses) of proxies/load balancers whose"
                        + " `X-Forwarded-For` is believed; the client is then the rightmost address that is not a"
                        + " trusted proxy")
                .key("tenant-from", "required", "ordered list of tenant rules, see below; the first rule that names"
                        + " a known tenant wins")
                .key("unknown-tenant", "`reject`", "a site name: requests naming no known tenant, and known tenants"
                        + " the routing table does not place yet, go there. `reject`: 404 for unknown tenants, 503"
                        + " for known but unplaced ones")
                .key("tenant-header", literal(d.tenantHeader()), "request header carrying the resolved tenant to"
                        + " the upstream; always overwritten (removed for unknown tenants), so clients cannot spoof"
                        + " it")
                .key("request-id-header", literal(d.requestIdHeader()), "header carrying the request id to the"
                        + " upstream")
                .key("via", literal(d.viaPseudonym()), "the received-by name in the `Via` header the router adds")
                .key("access-log", literal(d.accessLog()), "one JSON line per request on the `hikkoshi.access`"
                        + " logger (docs/router.md, \"Access log\")")
                .key("timeouts.connect", literal(d.connectTimeout()), "TCP connect to an upstream (then the next"
                        + " upstream, else 502)")
                .key("timeouts.response-header", literal(d.responseHeaderTimeout()), "request sent → response head"
                        + " received (504)")
                .key("timeouts.io-idle", literal(d.ioIdleTimeout()), "no byte in either direction during an"
                        + " exchange")
                .key("timeouts.client-idle", literal(d.clientIdleTimeout()), "keep-alive client connection idle"
                        + " between requests")
                .key("timeouts.header-read", literal(d.headerReadTimeout()), "a request head not complete in time"
                        + " gets 408 (slowloris)")
                .key("limits.max-request-line", literal(new ByteSize(d.maxInitialLineBytes())), "longer request"
                        + " line: 414")
                .key("limits.max-header-size", literal(new ByteSize(d.maxHeaderBytes())), "larger header block:"
                        + " 431")
                .key("limits.max-headers", literal(d.maxHeaderCount()), "more header fields: 431")
                .key("limits.max-body", literal(new ByteSize(d.maxBodyBytes())), "larger request body: 413")
                .key("pool.max-connections-per-upstream", literal(d.maxConnectionsPerUpstream()), "open connections"
                        + " per upstream, pooled or busy")
                .key("pool.max-pending", literal(d.maxPendingAcquires()), "requests waiting for a connection of one"
                        + " upstream; beyond: 503")
                .key("pool.idle-timeout", literal(d.upstreamIdleTimeout()), "an unused pooled connection is closed"
                        + " after this (keep it below the upstreams' keep-alive, often 5s)")
                .key("pool.connect-attempts", literal(d.maxConnectAttempts()), "upstreams tried for one request"
                        + " when connecting fails")
                .key("pool.stale-retries", literal(d.maxStaleRetries()), "resends of an idempotent request whose"
                        + " pooled connection the upstream had closed")
                .key("pool.write-buffer", literal(new ByteSize(d.writeBufferHighWaterBytes())), "bytes queued on"
                        + " one side before the other side stops reading (back-pressure)")
                .key("io-threads", literal(d.ioThreads()), "proxy event loops; 0 = one per core")
                .key("freeze.max-held-per-tenant", literal(f.maxHeldPerTenant()), "requests of one frozen tenant"
                        + " held at once; more get 503 + `Retry-After: 1`")
                .key("freeze.max-held-bytes-per-tenant", literal(f.maxHeldBytesPerTenant()), "body bytes already"
                        + " buffered by held requests of one tenant; more: 503")
                .key("freeze.max-hold", literal(f.maxHold()), "a request held longer gets 503 + `Retry-After: 1`;"
                        + " must exceed `plan.freeze.max` by half of it, at least 2s (checked across sections)")
                .key("freeze.drain-grace", literal(f.drainGrace()), "a freeze force-closes the tenant's requests"
                        + " still open after this (WebSockets, server-sent events, long polls)")
                .key("shutdown-grace", literal(RouterConfig.DEFAULT_SHUTDOWN_GRACE), "on SIGTERM, how long"
                        + " in-flight requests may finish after the router stops accepting")
                .key("traffic-bucket", literal(RouterTrafficWindow.DEFAULT_BUCKET), "granularity of the per-tenant"
                        + " traffic window the rollback line reads (kept 15 min); 100ms to 1m, dividing 15m;"
                        + " `plan.rollback-line.window` must be a multiple of it (checked across sections)")
                .build();
    }

    private static ConfigCatalog tenantRules() {
        return ConfigCatalog.of("router.tenant-from", "router.tenant-from[]")
                .intro("Each rule has exactly one of `host`, `path`, `header`, `cookie`, `query`.")
                .key("host", "", "`\"{tenant}.shop.example.com\"`: the tenant is one label of the Host (or of an"
                        + " absolute-form target), compared in lower case, port ignored")
                .key("path", "", "`\"/t/{tenant}/\"`: the tenant is one whole path segment")
                .key("strip", "`false`", "with `path`: forward only what follows the prefix (`/t/acme/orders?x=1`"
                        + " → `/orders?x=1`)")
                .key("header", "", "`X-Tenant`: a header naming the tenant")
                .key("cookie", "", "`tenant`: a cookie naming the tenant")
                .key("query", "", "`tenant`: a query parameter naming the tenant")
                .key("trusted-clients", "required with `header`, `cookie`, `query`", "CIDR blocks such as"
                        + " `[10.0.5.0/24]` whose hint is believed (`[0.0.0.0/0, ::/0]` believes everyone)")
                .notes("""
                        Header, cookie and query rules require `trusted-clients`: the hint is believed only when the
                        client address (after `trusted-proxies`) is in one of them, otherwise the rule is skipped. A
                        hint given twice with different values names no tenant. Known tenants are those of
                        `tenants.list` plus any tenant the routing table places; `tenants.from-table` is not wired
                        into the router yet (the router reports it as a problem).""")
                .build();
    }
}

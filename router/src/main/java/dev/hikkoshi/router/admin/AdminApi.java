package dev.hikkoshi.router.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.UNPROCESSABLE_ENTITY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.router.admin.AdminExchange.Request;
import dev.hikkoshi.router.admin.AdminExchange.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The admin API's endpoints, as plain calls from an authenticated request to its answer. Runs on the admin
 * worker threads (a freeze blocks until its drain is over), never on an event loop. Depends only on the core
 * {@link RouterControl} and {@link TrafficWindow}, the reload hook and the metrics registry.
 */
final class AdminApi implements AdminEndpoints {
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_DRAIN_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_STATS_WINDOW = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final Pattern TENANT_ACTION = Pattern.compile("/tenants/([^/]+)/(freeze|release)");

    private final RouterControl control;
    private final TrafficWindow traffic;
    private final InFlightRequests open;
    private final ReloadHook reload;
    private final PrometheusMeterRegistry registry;

    AdminApi(RouterControl control, TrafficWindow traffic, InFlightRequests open, ReloadHook reload,
             PrometheusMeterRegistry registry) {
        this.control = control;
        this.traffic = traffic;
        this.open = open;
        this.reload = reload;
        this.registry = registry;
    }

    /** The allowed method of a known path, or empty for an unknown path (404). */
    static Optional<String> allowedMethod(String path) {
        return Optional.ofNullable(switch (path) {
            case "/table" -> "GET, PUT";
            case "/health", "/stats", "/open-requests", "/metrics" -> "GET";
            case "/reload" -> "POST";
            default -> TENANT_ACTION.matcher(path).matches() ? "POST" : null;
        });
    }

    @Override
    public Optional<String> allowedMethods(String path) {
        return allowedMethod(path);
    }

    @Override
    public Response handle(Request r) {
        try {
            return route(r);
        } catch (AdminJson.BadDocumentException e) {
            return error(BAD_REQUEST, e.getMessage());
        } catch (FreezeFailedException e) {
            return Response.json(CONFLICT, AdminJson.error(e.getMessage(), "openRequests", e.openRequests()));
        } catch (ConfigException e) {
            return Response.json(UNPROCESSABLE_ENTITY, AdminJson.error(
                    "the new config has " + e.problems().size() + " problem(s); the old config keeps serving",
                    "problems", e.problems().stream().map(ConfigProblem::toString).toList()));
        } catch (UserException e) {
            ObjectNode body = AdminJson.error(e.getMessage()).put("hint", e.hint());
            return Response.json(UNPROCESSABLE_ENTITY, body);
        } catch (RuntimeException e) {
            log.error("admin {} {} by {} failed", r.method(), r.path(), r.tokenName(), e);
            return error(INTERNAL_SERVER_ERROR, "internal error: " + e);
        }
    }

    private Response route(Request r) {
        Optional<String> allowed = allowedMethod(r.path());
        if (allowed.isEmpty()) {
            return error(NOT_FOUND, "no such admin endpoint: " + r.path()
                    + " (expected: /table, /tenants/{tenant}/freeze, /tenants/{tenant}/release, /stats, /open-requests, "
                    + "/health, /metrics, /reload)");
        }
        if (!List.of(allowed.get().split(", ")).contains(r.method())) {
            return error(METHOD_NOT_ALLOWED, r.method() + " is not allowed on " + r.path() + " (allowed: "
                    + allowed.get() + ")");
        }
        switch (r.path()) {
            case "/table":
                if (r.method().equals("GET")) {
                    return Response.json(OK, AdminJson.table(control.table()));
                }
                long applied = control.push(AdminJson.table(AdminJson.parse(r.body(), "the routing table")));
                return Response.json(OK, AdminJson.version(applied));
            case "/health":
                return Response.json(OK, AdminJson.MAPPER.createObjectNode().put("status", "ok")
                        .put("tableVersion", control.appliedVersion()));
            case "/stats":
                Duration window = duration(r.query().get("window"), "window", DEFAULT_STATS_WINDOW, Duration.ofDays(1));
                return Response.json(OK, AdminJson.snapshot(traffic.window(window)));
            case "/open-requests":
                Duration age = duration(r.query().get("longer-than"), "longer-than", Duration.ZERO, Duration.ofDays(1));
                return Response.json(OK, AdminJson.openRequests(age, open.longerThan(age)));
            case "/metrics":
                return new Response(OK, Response.PROMETHEUS, registry.scrape());
            case "/reload":
                String summary = reload.reload();
                return Response.json(OK, AdminJson.MAPPER.createObjectNode().put("reloaded", true)
                        .put("summary", summary));
            default:
                return tenantAction(r);
        }
    }

    private Response tenantAction(Request r) {
        Matcher m = TENANT_ACTION.matcher(r.path());
        if (!m.matches() || !TenantId.isValid(m.group(1))) {
            return error(BAD_REQUEST, "not a tenant name: " + (m.matches() ? m.group(1) : r.path())
                    + " (expected: 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit)");
        }
        TenantId tenant = TenantId.of(m.group(1));
        MDC.put("tenant", tenant.value());
        try {
            if (m.group(2).equals("release")) {
                control.release(tenant);
                return Response.json(OK, AdminJson.MAPPER.createObjectNode().put("tenant", tenant.value())
                        .put("released", true));
            }
            String timeoutText = r.query().get("drain-timeout");
            if (timeoutText == null && !r.body().isBlank()) {
                JsonNode body = AdminJson.parse(r.body(), "the freeze request");
                timeoutText = body.path("drainTimeout").isTextual() ? body.path("drainTimeout").asText() : null;
            }
            Duration drain = duration(timeoutText, "drain-timeout", DEFAULT_DRAIN_TIMEOUT, MAX_DRAIN_TIMEOUT);
            return Response.json(OK, AdminJson.freezeReport(control.freeze(tenant, drain)));
        } finally {
            MDC.remove("tenant");
        }
    }

    private static Duration duration(String text, String name, Duration defaultValue, Duration max) {
        if (text == null) {
            return defaultValue;
        }
        Optional<Duration> d = DurationText.parse(text);
        if (d.isEmpty() || d.get().isZero() || d.get().compareTo(max) > 0) {
            throw new AdminJson.BadDocumentException(name + ": " + text + " (expected: " + DurationText.FORMAT
                    + ", more than 0 and at most " + DurationText.format(max) + ")");
        }
        return d.get();
    }

    private static Response error(io.netty.handler.codec.http.HttpResponseStatus status, String message) {
        return Response.json(status, AdminJson.error(message));
    }
}

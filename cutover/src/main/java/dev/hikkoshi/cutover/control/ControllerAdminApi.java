package dev.hikkoshi.cutover.control;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.router.admin.AdminEndpoints;
import dev.hikkoshi.router.admin.AdminExchange.Request;
import dev.hikkoshi.router.admin.AdminExchange.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The controller admin API's endpoints, served by the router module's admin server behind its bearer tokens.
 * The token's name is the {@link Actor} of every call, and every call goes through {@link AuditedOperations}.
 * Refusals answer {@code {"error", "hint"}}: 404 for a tenant or wave the plan does not have, 409 for the
 * others (a rollback of a finalized tenant), 400 for a malformed request. docs/controller.md lists them.
 */
final class ControllerAdminApi implements AdminEndpoints {
    static final int MAX_EVENTS_PER_ANSWER = 500;
    static final String ENDPOINTS = "GET /status, POST /apply, POST /pause, POST /resume, POST /rollback/{tenant}, "
            + "POST /finalize/{tenant}, POST /approve/{wave}, GET /events?after=SEQ, GET /metrics";
    private static final Logger log = LoggerFactory.getLogger(ControllerAdminApi.class);

    private final AuditedOperations operations;
    private final ControllerMetrics metrics;
    private final Optional<MoveEventLog> events;
    private final List<AdminEndpoints> extensions;

    ControllerAdminApi(AuditedOperations operations, ControllerMetrics metrics, Optional<MoveEventLog> events) {
        this(operations, metrics, events, List.of());
    }

    /** {@code extensions}: endpoints other modules add (the alert silences), asked for paths this API does not own. */
    ControllerAdminApi(AuditedOperations operations, ControllerMetrics metrics, Optional<MoveEventLog> events,
                       List<AdminEndpoints> extensions) {
        this.operations = operations;
        this.metrics = metrics;
        this.events = events;
        this.extensions = List.copyOf(extensions);
    }

    @Override
    public Optional<String> allowedMethods(String path) {
        return own(path).or(() -> extension(path).flatMap(e -> e.allowedMethods(path)));
    }

    private Optional<AdminEndpoints> extension(String path) {
        return extensions.stream().filter(e -> e.allowedMethods(path).isPresent()).findFirst();
    }

    private static Optional<String> own(String path) {
        return Optional.ofNullable(switch (path) {
            case "/status", "/metrics", "/events" -> "GET";
            case "/apply", "/pause", "/resume" -> "POST";
            default -> subject(path, "/rollback/").or(() -> subject(path, "/finalize/"))
                    .or(() -> subject(path, "/approve/")).isPresent() ? "POST" : null;
        });
    }

    @Override
    public Response handle(Request r) {
        MDC.put("component", "controller-admin");
        try {
            return route(r);
        } catch (UnknownSubjectException e) {
            return error(NOT_FOUND, e.getMessage(), e.hint());
        } catch (UserException e) {
            return error(CONFLICT, e.getMessage(), e.hint());
        } catch (ControllerJson.BadDocumentException e) {
            return error(BAD_REQUEST, e.getMessage(), "send what docs/controller.md shows for " + r.path());
        } catch (RuntimeException e) {
            log.error("controller admin {} {} by {} failed", r.method(), r.path(), r.tokenName(), e);
            return error(INTERNAL_SERVER_ERROR, "internal error: " + AuditedOperations.describe(e),
                    "the controller's log has the details");
        } finally {
            MDC.remove("component");
        }
    }

    @Override
    public void unauthorized(Request r, String why) {
        operations.unauthorized(r.method() + " " + printable(r.path()), why);
    }

    private Response route(Request r) {
        if (own(r.path()).isEmpty() && extension(r.path()).isPresent()) {
            return extension(r.path()).get().handle(r); // it checks its own methods
        }
        Optional<String> allowed = allowedMethods(r.path());
        if (allowed.isEmpty()) {
            return error(NOT_FOUND, "no such controller admin endpoint: " + printable(r.path()),
                    "the endpoints are " + ENDPOINTS);
        }
        if (!allowed.get().equals(r.method())) {
            return error(METHOD_NOT_ALLOWED, r.method() + " is not allowed on " + printable(r.path()),
                    "use " + allowed.get() + " " + printable(r.path()));
        }
        Actor actor = new Actor(r.tokenName());
        switch (r.path()) {
            case "/status":
                return Response.json(OK, ControllerJson.status(operations.status()));
            case "/metrics":
                return new Response(OK, Response.PROMETHEUS, metrics.scrape(operations.status()));
            case "/events":
                return events(r);
            case "/apply":
                return apply(r, actor);
            case "/pause":
                operations.pause(actor, reason(r));
                return done("pause", "plan");
            case "/resume":
                operations.resume(actor);
                return done("resume", "plan");
            default:
                break;
        }
        Optional<String> tenant = subject(r.path(), "/rollback/").or(() -> subject(r.path(), "/finalize/"));
        if (tenant.isPresent()) {
            if (!TenantId.isValid(tenant.get())) {
                return error(BAD_REQUEST, "not a tenant name: " + printable(tenant.get()),
                        "a tenant name has 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            TenantId id = TenantId.of(tenant.get());
            MDC.put("tenant", id.value());
            try {
                if (r.path().startsWith("/rollback/")) {
                    operations.rollback(actor, id);
                    return done("rollback", id.value());
                }
                operations.finalizeMove(actor, id);
                return done("finalize", id.value());
            } finally {
                MDC.remove("tenant");
            }
        }
        String wave = subject(r.path(), "/approve/").orElseThrow();
        operations.approve(actor, wave);
        return done("approve", wave);
    }

    /**
     * {@code {"plan": PLAN}} adopts a plan ({@code hikkoshi apply PLAN}), {@code {"resume": true}} continues the
     * journaled one ({@code hikkoshi apply --resume}); no body starts or continues the plan as {@link
     * ControllerOperations#apply} does.
     */
    private Response apply(Request r, Actor actor) {
        if (r.body() == null || r.body().isBlank()) {
            operations.apply(actor);
            return done("apply", "plan");
        }
        JsonNode body = ControllerJson.parse(r.body(), "the apply request");
        JsonNode plan = body.path("plan");
        if (plan.isObject()) {
            dev.hikkoshi.cutover.plan.Plan parsed;
            try {
                parsed = dev.hikkoshi.cutover.plan.PlanDocument.fromJson(plan);
            } catch (IllegalArgumentException e) {
                throw new ControllerJson.BadDocumentException("plan: " + e.getMessage());
            }
            operations.adopt(actor, parsed);
            return done("apply", PlanAdoption.name(parsed.id()));
        }
        if (body.path("resume").isBoolean() && body.path("resume").asBoolean()) {
            operations.resumePlan(actor);
            return done("apply", "plan");
        }
        throw new ControllerJson.BadDocumentException("the apply request: " + printable(r.body())
                + " (expected: {\"plan\": PLAN} or {\"resume\": true})");
    }

    private Response events(Request r) {
        MoveEventLog held = events.orElseThrow(() -> new UserException("this controller does not publish move events",
                "read the moves with GET /status"));
        long after = 0;
        String text = r.query().get("after");
        if (text != null) {
            try {
                after = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ControllerJson.BadDocumentException("after: " + printable(text)
                        + " (expected: the seq of the last event read, 0 for all)");
            }
        }
        List<MoveEventLog.Numbered> found = held.after(after, MAX_EVENTS_PER_ANSWER);
        ObjectNode root = ControllerJson.MAPPER.createObjectNode();
        // A reader that fell behind by more than the log holds learns it missed some, rather than silently not.
        root.put("missed", Math.max(0, held.firstHeld() - after - 1)).put("last", held.lastSeq());
        ArrayNode list = root.putArray("events");
        found.forEach(n -> list.add(ControllerJson.event(n.seq(), n.event())));
        return Response.json(OK, root);
    }

    private static String reason(Request r) {
        if (r.body() != null && !r.body().isBlank()) {
            JsonNode body = ControllerJson.parse(r.body(), "the pause request");
            JsonNode reason = body.path("reason");
            if (!reason.isMissingNode() && !reason.isTextual()) {
                throw new ControllerJson.BadDocumentException("reason: " + reason + " (expected: text)");
            }
            if (reason.isTextual()) {
                return reason.asText();
            }
        }
        return r.query().getOrDefault("reason", "");
    }

    private static Optional<String> subject(String path, String prefix) {
        return path.startsWith(prefix) && path.length() > prefix.length()
                ? Optional.of(path.substring(prefix.length())) : Optional.empty();
    }

    private static Response done(String what, String subject) {
        return Response.json(OK, ControllerJson.MAPPER.createObjectNode().put("done", what).put("subject", subject));
    }

    private static Response error(HttpResponseStatus status, String message, String hint) {
        return Response.json(status, ControllerJson.error(message, hint));
    }

    /** Decoded control characters would let a client forge lines in logs and answers: shown escaped. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        int i = 0;
        for (; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("%%%02X", (int) c) : String.valueOf(c));
        }
        return i < s.length() ? out + "..." : out.toString();
    }
}

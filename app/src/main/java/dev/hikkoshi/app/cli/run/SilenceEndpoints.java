package dev.hikkoshi.app.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.cutover.control.AuditLog;
import dev.hikkoshi.router.admin.AdminEndpoints;
import dev.hikkoshi.router.admin.AdminExchange.Request;
import dev.hikkoshi.router.admin.AdminExchange.Response;
import dev.hikkoshi.watch.alert.Matcher;
import dev.hikkoshi.watch.alert.silence.Silence;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alert silences on the controller's admin API, beside what {@code hikkoshi alerts silence} does on the
 * file: {@code GET /silences} lists the active ones, {@code POST /silences} with
 * {@code {"matchers": ["tenant=acme"], "for": "2h", "comment": "..."}} adds one, {@code DELETE /silences/{id}}
 * ends one. They share the silence file the live alert pipeline re-reads at each tick; every change is audited
 * under the token's name.
 */
final class SilenceEndpoints implements AdminEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/silences/";

    private final SilenceStore store;
    private final AuditLog audit;
    private final Clock clock;

    SilenceEndpoints(SilenceStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Optional<String> allowedMethods(String path) {
        if (path.equals("/silences")) {
            return Optional.of("GET, POST");
        }
        return path.startsWith(PREFIX) && path.length() > PREFIX.length() ? Optional.of("DELETE") : Optional.empty();
    }

    @Override
    public Response handle(Request r) {
        Instant now = clock.instant();
        if (r.path().equals("/silences") && r.method().equals("GET")) {
            store.refresh();
            ArrayNode list = JSON.createArrayNode();
            store.snapshot().stream().filter(s -> s.activeAt(now) || now.isBefore(s.startsAt())).map(this::json)
                    .forEach(list::add);
            return Response.json(HttpResponseStatus.OK, JSON.createObjectNode().set("silences", list));
        }
        if (r.path().equals("/silences") && r.method().equals("POST")) {
            return add(r, now);
        }
        if (r.method().equals("DELETE") && r.path().startsWith(PREFIX)) {
            String id = r.path().substring(PREFIX.length());
            try {
                Silence ended = store.expire(id, now);
                record(r, "silence-expire", id, Optional.empty(), AuditLog.Outcome.OK, Optional.empty(), now);
                return Response.json(HttpResponseStatus.OK, json(ended));
            } catch (UserException e) {
                record(r, "silence-expire", id, Optional.empty(), AuditLog.Outcome.REFUSED, Optional.of(e.getMessage()), now);
                return error(e.getMessage().startsWith("no silence") ? HttpResponseStatus.NOT_FOUND
                        : HttpResponseStatus.CONFLICT, e.getMessage(), e.hint());
            }
        }
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, r.method() + " is not allowed on " + r.path(),
                "use " + allowedMethods(r.path()).orElse("GET") + " " + r.path());
    }

    private Response add(Request r, Instant now) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body());
        } catch (IOException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""), example());
        }
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode m : body.path("matchers")) {
            Optional<Matcher> parsed = m.isTextual() ? Matcher.parse(m.asText()) : Optional.empty();
            if (parsed.isEmpty()) {
                return error(HttpResponseStatus.BAD_REQUEST, "not a label matcher: " + m, Matcher.SYNTAX);
            }
            matchers.add(parsed.get());
        }
        if (matchers.isEmpty()) {
            return error(HttpResponseStatus.BAD_REQUEST, "a silence needs at least one matcher", example());
        }
        Optional<Duration> length = body.path("for").isTextual() ? DurationText.parse(body.path("for").asText())
                : Optional.empty();
        if (length.isEmpty() || length.get().isNegative() || length.get().isZero()) {
            return error(HttpResponseStatus.BAD_REQUEST, "\"for\" must be a duration such as 2h, was " + body.path("for"),
                    example());
        }
        String comment = body.path("comment").asText("");
        Silence s = store.add(matchers, now, now.plus(length.get()), r.tokenName(), comment);
        record(r, "silence", s.id(), Optional.of(matchers + " for " + DurationText.format(length.get())
                + (comment.isEmpty() ? "" : ": " + comment)), AuditLog.Outcome.OK, Optional.empty(), now);
        return Response.json(HttpResponseStatus.OK, json(s));
    }

    private void record(Request r, String what, String subject, Optional<String> detail, AuditLog.Outcome outcome,
                        Optional<String> message, Instant now) {
        audit.append(new AuditLog.Entry(now, r.tokenName(), what, subject, detail, outcome, message));
    }

    private ObjectNode json(Silence s) {
        ObjectNode n = JSON.createObjectNode().put("id", s.id()).put("startsAt", s.startsAt().toString())
                .put("endsAt", s.endsAt().toString()).put("createdBy", s.createdBy()).put("comment", s.comment());
        ArrayNode m = n.putArray("matchers");
        s.matchers().forEach(x -> m.add(x.toString()));
        return n;
    }

    private static String example() {
        return "send {\"matchers\": [\"tenant=acme\"], \"for\": \"2h\", \"comment\": \"why\"}";
    }

    private static Response error(HttpResponseStatus status, String error, String hint) {
        return Response.json(status, JSON.createObjectNode().put("error", error).put("hint", hint));
    }
}

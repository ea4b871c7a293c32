package dev.hikkoshi.cutover.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller admin API's JSON documents, written and read field by field so that the wire format is
 * stated here: the status, errors ({@code {error, hint}}) and move events. Shared by
 * {@link ControllerAdminApi} and its client {@link ControllerClient}; a document that does not fit throws
 * {@link BadDocumentException} naming the field. Public for {@code hikkoshi status --json}, which prints the
 * status document as the API serves it.
 */
public final class ControllerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ControllerJson() {
    }

    /** A document that is not what the API expects. */
    static final class BadDocumentException extends RuntimeException {
        BadDocumentException(String message) {
            super(message);
        }
    }

    static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BadDocumentException(what + " is empty (expected: a JSON object)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadDocumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own cannot fail to serialize", e);
        }
    }

    static ObjectNode error(String message, String hint) {
        return MAPPER.createObjectNode().put("error", message).put("hint", hint);
    }

    // {"paused": true, "pauseReason": "schema change", "waiting": "...", "moves": [{"tenant": "acme", "wave": "pilot", "attempt": 1,
    //  "state": "BAKING", "since": "...", "from": "legacy", "to": "cloud", "freezeTimeMillis": 812,
    //  "lastVerdict": "...", "problem": "...", "rollbackLoss": "..."}]}   (the last four only when known)
    public static ObjectNode status(ControllerStatus s) {
        ObjectNode root = MAPPER.createObjectNode().put("paused", s.paused());
        s.pauseReason().ifPresent(r -> root.put("pauseReason", r));
        s.waiting().ifPresent(w -> root.put("waiting", w));
        ArrayNode moves = root.putArray("moves");
        for (MoveStatus m : s.moves()) {
            ObjectNode n = moves.addObject().put("tenant", m.tenant().value()).put("wave", m.wave())
                    .put("attempt", m.attempt()).put("state", m.state().name()).put("since", m.since().toString())
                    .put("from", m.from().value()).put("to", m.to().value());
            m.freezeTime().ifPresent(f -> n.put("freezeTimeMillis", f.toMillis()));
            m.lastVerdict().ifPresent(v -> n.put("lastVerdict", v));
            m.problem().ifPresent(p -> n.put("problem", p));
            s.rollbackLoss(m.tenant()).ifPresent(l -> n.put("rollbackLoss", l));
        }
        return root;
    }

    static ControllerStatus status(JsonNode root) {
        JsonNode paused = root.path("paused");
        if (!paused.isBoolean()) {
            throw new BadDocumentException("paused: " + shown(paused) + " (expected: true or false)");
        }
        JsonNode movesNode = root.path("moves");
        if (!movesNode.isArray()) {
            throw new BadDocumentException("moves: " + shown(movesNode) + " (expected: a list of moves)");
        }
        List<MoveStatus> moves = new ArrayList<>();
        Map<TenantId, String> rollbackLoss = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode n : movesNode) {
            String path = "moves[" + i++ + "]";
            String tenant = text(n, path, "tenant");
            String from = text(n, path, "from");
            String to = text(n, path, "to");
            if (!TenantId.isValid(tenant) || !SiteId.isValid(from) || !SiteId.isValid(to)) {
                throw new BadDocumentException(path + ": tenant " + tenant + ", from " + from + ", to " + to
                        + " (expected: a tenant name and two site names)");
            }
            JsonNode attempt = n.path("attempt");
            if (!attempt.canConvertToInt() || !attempt.isIntegralNumber()) {
                throw new BadDocumentException(path + ".attempt: " + shown(attempt) + " (expected: an integer)");
            }
            JsonNode freeze = n.path("freezeTimeMillis");
            if (!freeze.isMissingNode() && !freeze.isIntegralNumber()) {
                throw new BadDocumentException(path + ".freezeTimeMillis: " + shown(freeze)
                        + " (expected: an integer)");
            }
            moves.add(new MoveStatus(TenantId.of(tenant), text(n, path, "wave"), attempt.asInt(),
                    state(text(n, path, "state"), path), instant(text(n, path, "since"), path + ".since"),
                    SiteId.of(from), SiteId.of(to),
                    freeze.isMissingNode() ? Optional.empty() : Optional.of(Duration.ofMillis(freeze.asLong())),
                    optionalText(n, "lastVerdict"), optionalText(n, "problem")));
            optionalText(n, "rollbackLoss").ifPresent(l -> rollbackLoss.put(TenantId.of(tenant), l));
        }
        return new ControllerStatus(moves, paused.asBoolean(), optionalText(root, "pauseReason"),
                optionalText(root, "waiting"), rollbackLoss);
    }

    /** One published event with its sequence number: {@code {"seq": 3, "type": "transition", ...}}. */
    static ObjectNode event(long seq, MoveEvent e) {
        ObjectNode n = MAPPER.createObjectNode().put("seq", seq);
        if (e instanceof MoveEvent.Transition t) {
            n.put("type", "transition").put("attempt", t.attempt()).put("from", t.from().name())
                    .put("to", t.to().name()).put("reason", t.reason());
        } else if (e instanceof MoveEvent.Verdict v) {
            n.put("type", "verdict").put("attempt", v.attempt()).put("window", v.window())
                    .put("judgement", v.judgement().name()).put("detail", v.detail());
        } else if (e instanceof MoveEvent.SplitBrain s) {
            n.put("type", "split-brain").put("site", s.site().value()).put("table", s.table()).put("key", s.key());
        } else if (e instanceof MoveEvent.ReverseSyncFailed r) {
            n.put("type", "reverse-sync-failed").put("problem", r.problem());
        } else if (e instanceof MoveEvent.Notice notice) {
            n.put("type", "notice").put("severity", notice.severity().name()).put("text", notice.text());
        } else {
            throw new IllegalStateException("a move event this API does not know: " + e.getClass().getName());
        }
        return n.put("tenant", e.tenant().value()).put("at", e.at().toString());
    }

    private static MoveState state(String text, String path) {
        try {
            return MoveState.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new BadDocumentException(path + ".state: " + text + " (expected: a move state such as BAKING;"
                    + " the same hikkoshi version on both sides)");
        }
    }

    private static Instant instant(String text, String path) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadDocumentException(path + ": " + text + " (expected: an ISO-8601 instant)");
        }
    }

    private static String text(JsonNode n, String path, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw new BadDocumentException(path + "." + field + ": " + shown(v) + " (expected: text)");
        }
        return v.asText();
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static String shown(JsonNode n) {
        if (n.isMissingNode()) {
            return "(missing)";
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

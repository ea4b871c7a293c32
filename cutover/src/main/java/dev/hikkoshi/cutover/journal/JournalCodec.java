package dev.hikkoshi.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.plan.Gate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@link JournalEntry} values into the JSON payload of a journal record and back. The fields are
 * written by hand rather than bound by reflection: the journal's format outlives any refactoring of the
 * records, so renaming a component must not silently change what is on disk.
 */
final class JournalCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalCodec() {
    }

    static byte[] encode(JournalEntry entry) {
        ObjectNode o = JSON.createObjectNode();
        if (entry instanceof JournalEntry.Transition t) {
            o.put("type", "transition");
            o.put("tenant", t.tenant().value());
            o.put("wave", t.wave());
            o.put("attempt", t.attempt());
            o.put("source", t.source().value());
            o.put("target", t.target().value());
            o.put("from", t.from().name());
            o.put("to", t.to().name());
            o.put("reason", t.reason());
            ObjectNode notes = o.putObject("notes");
            t.notes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> notes.put(e.getKey(), e.getValue()));
        } else if (entry instanceof JournalEntry.Verdict v) {
            o.put("type", "verdict");
            o.put("tenant", v.tenant().value());
            o.put("attempt", v.attempt());
            o.put("window", v.window());
            o.put("judgement", v.judgement().name());
            o.put("detail", v.detail());
        } else if (entry instanceof JournalEntry.PlanControl c) {
            o.put("type", "plan");
            o.put("action", c.action().name());
            c.wave().ifPresent(w -> o.put("wave", w));
            o.put("actor", c.actor());
            o.put("reason", c.reason());
        } else if (entry instanceof JournalEntry.PlanAdopted a) {
            o.put("type", "adopted");
            o.put("plan", a.planId());
            ArrayNode waves = o.putArray("waves");
            for (JournalEntry.AdoptedWave w : a.waves()) {
                ObjectNode wave = waves.addObject().put("name", w.name()).put("gate", w.gate().name());
                ArrayNode tenants = wave.putArray("tenants");
                w.tenants().forEach(t -> tenants.add(t.value()));
            }
            o.put("actor", a.actor());
        }
        o.put("at", entry.at().toString());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("a journal entry cannot be written as JSON: " + entry, e);
        }
    }

    /** Reads a payload whose checksum matched; throws {@link IllegalArgumentException} naming what is wrong. */
    static JournalEntry decode(byte[] payload) {
        JsonNode o;
        try {
            o = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Instant at = Instant.parse(text(o, "at"));
        String type = text(o, "type");
        return switch (type) {
            case "transition" -> new JournalEntry.Transition(TenantId.of(text(o, "tenant")), text(o, "wave"),
                    integer(o, "attempt"), SiteId.of(text(o, "source")), SiteId.of(text(o, "target")),
                    MoveState.valueOf(text(o, "from")), MoveState.valueOf(text(o, "to")), text(o, "reason"),
                    notes(o.get("notes")), at);
            case "verdict" -> new JournalEntry.Verdict(TenantId.of(text(o, "tenant")), integer(o, "attempt"),
                    integer(o, "window"), MoveEvent.Judgement.valueOf(text(o, "judgement")), text(o, "detail"), at);
            case "plan" -> new JournalEntry.PlanControl(JournalEntry.PlanAction.valueOf(text(o, "action")),
                    o.hasNonNull("wave") ? Optional.of(o.get("wave").asText()) : Optional.empty(),
                    text(o, "actor"), text(o, "reason"), at);
            case "adopted" -> new JournalEntry.PlanAdopted(text(o, "plan"), adoptedWaves(o.get("waves")),
                    text(o, "actor"), at);
            default -> throw new IllegalArgumentException("unknown entry type " + type);
        };
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field " + field + " missing or not text");
        }
        return v.asText();
    }

    private static int integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isInt()) {
            throw new IllegalArgumentException("field " + field + " missing or not an integer");
        }
        return v.intValue();
    }

    private static List<JournalEntry.AdoptedWave> adoptedWaves(JsonNode n) {
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("field waves missing or not a list");
        }
        List<JournalEntry.AdoptedWave> out = new ArrayList<>();
        for (JsonNode w : n) {
            JsonNode tenants = w.get("tenants");
            if (tenants == null || !tenants.isArray()) {
                throw new IllegalArgumentException("field tenants missing or not a list");
            }
            List<TenantId> ids = new ArrayList<>();
            tenants.forEach(t -> ids.add(TenantId.of(t.asText())));
            out.add(new JournalEntry.AdoptedWave(text(w, "name"), Gate.valueOf(text(w, "gate")), ids));
        }
        return out;
    }

    private static Map<String, String> notes(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("field notes missing or not an object");
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}

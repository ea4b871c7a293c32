package dev.hikkoshi.cutover.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The plan file's JSON, written and read field by field so that the format is stated here (durations in
 * milliseconds, the unit in the key; maps in key order). A document that does not fit throws
 * {@link BadPlanException} naming the field; {@link PlanFile} turns it into a user error naming the file.
 */
final class PlanJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanJson() {
    }

    /** A document that is not a plan: the message names the field and what was expected. */
    static final class BadPlanException extends RuntimeException {
        BadPlanException(String message) {
            super(message);
        }
    }

    /** SHA-256 (hex) of the plan's canonical JSON with an empty id. */
    static String contentId(Plan plan) {
        ObjectNode node = toJson(plan);
        node.put("id", "");
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(node);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a tree of our own always serializes and every JVM has SHA-256", e);
        }
    }

    static ObjectNode toJson(Plan plan) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", plan.format());
        n.put("id", plan.id());
        n.put("created", plan.created().toString());
        n.put("from", plan.from().value());
        n.put("to", plan.to().value());
        n.put("freezeMaxMillis", plan.freezeMax().toMillis());
        ObjectNode t = n.putObject("throughput");
        t.put("rowsPerSecond", plan.throughput().rowsPerSecond());
        t.put("bytesPerSecond", plan.throughput().bytesPerSecond());
        t.put("rows", plan.throughput().rows());
        t.put("measured", plan.throughput().measured());
        ArrayNode waves = n.putArray("waves");
        for (PlannedWave w : plan.waves()) {
            ObjectNode wn = waves.addObject();
            wn.put("name", w.name());
            wn.put("gate", w.gate().spelling());
            ArrayNode moves = wn.putArray("moves");
            for (PlannedMove m : w.moves()) {
                ObjectNode mn = moves.addObject();
                mn.put("tenant", m.tenant().value());
                mn.put("rows", m.rows());
                mn.put("bytes", m.bytes());
                mn.put("copyEstimateMillis", m.copyEstimate().toMillis());
                mn.put("finalSyncEstimateMillis", m.finalSyncEstimate().toMillis());
                mn.put("freezeEstimateMillis", m.freezeEstimate().toMillis());
            }
        }
        ArrayNode skipped = n.putArray("skipped");
        plan.skipped().forEach(s -> skipped.addObject().put("tenant", s.tenant().value()).put("wave", s.wave())
                .put("reason", s.reason()));
        ArrayNode refused = n.putArray("refused");
        plan.refused().forEach(r -> refused.addObject().put("tenant", r.tenant().value()).put("wave", r.wave())
                .put("reason", r.reason()));
        ArrayNode preflight = n.putArray("preflight");
        plan.preflight().forEach(f -> preflight.addObject().put("from", f.from().value()).put("to", f.to().value())
                .put("severity", f.severity().name().toLowerCase(Locale.ROOT)).put("text", f.text()));
        n.set("fingerprint", fingerprint(plan.fingerprint()));
        return n;
    }

    private static ObjectNode fingerprint(Fingerprint f) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode placements = n.putObject("placements");
        f.placements().forEach((t, s) -> placements.put(t.value(), s.value()));
        ObjectNode schemas = n.putObject("schemas");
        f.schemas().forEach((site, tables) -> {
            ObjectNode sn = schemas.putObject(site.value());
            tables.forEach((name, shape) -> {
                ObjectNode tn = sn.putObject(name);
                tn.put("digest", shape.digest());
                shape.columns().forEach(tn.putArray("columns")::add);
                shape.keys().forEach(tn.putArray("keys")::add);
            });
        });
        ObjectNode rows = n.putObject("tenantRows");
        f.tenantRows().forEach((t, r) -> rows.put(t.value(), r));
        n.putObject("tolerance").put("fraction", f.tolerance().fraction()).put("slackRows", f.tolerance().slackRows());
        return n;
    }

    static Plan fromJson(JsonNode n) {
        if (!n.isObject()) {
            throw new BadPlanException("not a JSON object");
        }
        int format = (int) integer(n, "format");
        if (format != Plan.FORMAT) {
            throw new BadPlanException("format " + format + " (this hikkoshi reads format " + Plan.FORMAT + ")");
        }
        String id = text(n, "id");
        Instant created = parse(n, "created", Instant::parse);
        SiteId from = parse(n, "from", SiteId::of);
        SiteId to = parse(n, "to", SiteId::of);
        Duration freezeMax = Duration.ofMillis(integer(n, "freezeMaxMillis"));
        JsonNode t = object(n, "throughput");
        ThroughputSample throughput = value("throughput", () -> new ThroughputSample(number(t, "rowsPerSecond"),
                number(t, "bytesPerSecond"), integer(t, "rows"), bool(t, "measured")));
        List<PlannedWave> waves = new ArrayList<>();
        for (JsonNode w : array(n, "waves")) {
            List<PlannedMove> moves = new ArrayList<>();
            for (JsonNode m : array(w, "moves")) {
                moves.add(value("move", () -> new PlannedMove(parse(m, "tenant", TenantId::of), integer(m, "rows"),
                        integer(m, "bytes"), Duration.ofMillis(integer(m, "copyEstimateMillis")),
                        Duration.ofMillis(integer(m, "finalSyncEstimateMillis")),
                        Duration.ofMillis(integer(m, "freezeEstimateMillis")))));
            }
            waves.add(new PlannedWave(text(w, "name"), parse(w, "gate", s -> Gate.valueOf(s.toUpperCase(Locale.ROOT))),
                    moves));
        }
        List<SkippedTenant> skipped = new ArrayList<>();
        for (JsonNode s : array(n, "skipped")) {
            skipped.add(new SkippedTenant(parse(s, "tenant", TenantId::of), text(s, "wave"), text(s, "reason")));
        }
        List<RefusedTenant> refused = new ArrayList<>();
        for (JsonNode r : array(n, "refused")) {
            refused.add(new RefusedTenant(parse(r, "tenant", TenantId::of), text(r, "wave"), text(r, "reason")));
        }
        List<PreflightFinding> preflight = new ArrayList<>();
        for (JsonNode f : array(n, "preflight")) {
            preflight.add(new PreflightFinding(parse(f, "from", SiteId::of), parse(f, "to", SiteId::of),
                    parse(f, "severity", s -> PreflightFinding.Severity.valueOf(s.toUpperCase(Locale.ROOT))),
                    text(f, "text")));
        }
        Fingerprint fingerprint = fingerprint(object(n, "fingerprint"));
        return new Plan(format, id, created, from, to, freezeMax, waves, skipped, refused, preflight, throughput,
                fingerprint);
    }

    private static Fingerprint fingerprint(JsonNode n) {
        Map<TenantId, SiteId> placements = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(object(n, "placements"))) {
            placements.put(value("placement", () -> TenantId.of(e.getKey())), parse(object(n, "placements"),
                    e.getKey(), SiteId::of));
        }
        Map<SiteId, Map<String, TableShape>> schemas = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> site : fields(object(n, "schemas"))) {
            Map<String, TableShape> tables = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> table : fields(site.getValue())) {
                tables.put(table.getKey(), new TableShape(strings(table.getValue(), "columns"),
                        strings(table.getValue(), "keys")));
            }
            schemas.put(value("site", () -> SiteId.of(site.getKey())), tables);
        }
        Map<TenantId, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(object(n, "tenantRows"))) {
            rows.put(value("tenant", () -> TenantId.of(e.getKey())), integer(object(n, "tenantRows"), e.getKey()));
        }
        JsonNode tol = object(n, "tolerance");
        Fingerprint.Tolerance tolerance = value("tolerance", () -> new Fingerprint.Tolerance(number(tol, "fraction"),
                integer(tol, "slackRows")));
        return new Fingerprint(placements, schemas, rows, tolerance);
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        if (!n.isObject()) {
            throw new BadPlanException("an object expected where " + n.getNodeType() + " was found");
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        it.forEachRemaining(out::add);
        return out;
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new BadPlanException("field " + name + " is missing");
        }
        return v;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new BadPlanException("field " + name + " is not a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber()) {
            throw new BadPlanException("field " + name + " is not an integer");
        }
        return v.asLong();
    }

    private static double number(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isNumber()) {
            throw new BadPlanException("field " + name + " is not a number");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isBoolean()) {
            throw new BadPlanException("field " + name + " is not true or false");
        }
        return v.asBoolean();
    }

    private static JsonNode object(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isObject()) {
            throw new BadPlanException("field " + name + " is not an object");
        }
        return v;
    }

    private static JsonNode array(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new BadPlanException("field " + name + " is not a list");
        }
        return v;
    }

    private static List<String> strings(JsonNode n, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(n, name)) {
            if (!v.isTextual()) {
                throw new BadPlanException("field " + name + " holds a value that is not a string");
            }
            out.add(v.asText());
        }
        return out;
    }

    private static <T> T parse(JsonNode n, String name, Function<String, T> parser) {
        String text = text(n, name);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new BadPlanException("field " + name + " has a bad value: " + text);
        }
    }

    private static <T> T value(String what, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new BadPlanException("a bad " + what + ": " + e.getMessage());
        }
    }
}

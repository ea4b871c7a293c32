package dev.hikkoshi.router.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.OpenRequests;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The admin API's JSON documents, written and read field by field so that the wire format is stated here and
 * stays stable whatever the records' shapes become. Shared by {@link AdminServer} and its clients
 * {@link HttpRouterControl} and {@link HttpTrafficWindow}. A document that does not fit throws
 * {@link BadDocumentException} naming the field.
 */
final class AdminJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }

    /** A document that is not what the API expects; the server answers 400 with its message. */
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

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own cannot fail to serialize", e);
        }
    }

    // {"version": 7, "placements": {"acme": {"site": "cloud", "frozen": false}}}
    static ObjectNode table(RoutingTable table) {
        ObjectNode root = MAPPER.createObjectNode().put("version", table.version());
        ObjectNode placements = root.putObject("placements");
        table.sorted().forEach((tenant, p) -> placements.putObject(tenant.value())
                .put("site", p.site().value()).put("frozen", p.frozen()));
        return root;
    }

    static RoutingTable table(JsonNode root) {
        long version = longField(root, "version", 0);
        JsonNode placements = root.path("placements");
        if (!placements.isObject()) {
            throw new BadDocumentException("placements: " + shown(placements)
                    + " (expected: an object of tenant names to {site, frozen})");
        }
        Map<TenantId, Placement> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : placements.properties()) {
            String path = "placements." + e.getKey();
            if (!TenantId.isValid(e.getKey())) {
                throw new BadDocumentException(path + " (expected: a tenant name of letters, digits, '_', '.' or '-')");
            }
            JsonNode site = e.getValue().path("site");
            if (!site.isTextual() || !SiteId.isValid(site.asText())) {
                throw new BadDocumentException(path + ".site: " + shown(site) + " (expected: a site name)");
            }
            JsonNode frozen = e.getValue().path("frozen");
            if (!frozen.isMissingNode() && !frozen.isBoolean()) {
                throw new BadDocumentException(path + ".frozen: " + shown(frozen) + " (expected: true or false)");
            }
            out.put(TenantId.of(e.getKey()), new Placement(SiteId.of(site.asText()), frozen.asBoolean(false)));
        }
        return new RoutingTable(version, out);
    }

    static ObjectNode version(long version) {
        return MAPPER.createObjectNode().put("version", version);
    }

    static ObjectNode freezeReport(FreezeReport r) {
        return MAPPER.createObjectNode().put("tenant", r.tenant().value()).put("tableVersion", r.tableVersion())
                .put("drainedRequests", r.drainedRequests()).put("drainTimeMillis", r.drainTime().toMillis());
    }

    static FreezeReport freezeReport(JsonNode n) {
        String tenant = n.path("tenant").asText("");
        if (!TenantId.isValid(tenant)) {
            throw new BadDocumentException("tenant: " + shown(n.path("tenant")) + " (expected: a tenant name)");
        }
        return new FreezeReport(TenantId.of(tenant), longField(n, "tableVersion", 0),
                (int) longField(n, "drainedRequests", 0), Duration.ofMillis(longField(n, "drainTimeMillis", 0)));
    }

    // {"from": "...", "to": "...", "latencyBoundsMillis": [1, 2, ...],
    //  "stats": [{"tenant": "acme", "site": "cloud", "requests": 10, "serverErrors": 1, "latency": [..14 counts..]}]}
    static ObjectNode snapshot(TrafficWindow.Snapshot s) {
        ObjectNode root = MAPPER.createObjectNode().put("from", s.from().toString()).put("to", s.to().toString());
        ArrayNode bounds = root.putArray("latencyBoundsMillis");
        Arrays.stream(LatencyHistogram.BOUNDS_MILLIS).forEach(bounds::add);
        ArrayNode stats = root.putArray("stats");
        s.stats().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode item = stats.addObject().put("tenant", e.getKey().tenant()).put("site", e.getKey().site().value())
                    .put("requests", e.getValue().requests()).put("serverErrors", e.getValue().serverErrors());
            ArrayNode latency = item.putArray("latency");
            Arrays.stream(e.getValue().latency().counts()).forEach(latency::add);
        });
        return root;
    }

    static TrafficWindow.Snapshot snapshot(JsonNode root) {
        JsonNode bounds = root.path("latencyBoundsMillis");
        long[] theirs = new long[bounds.size()];
        for (int i = 0; i < theirs.length; i++) {
            theirs[i] = bounds.get(i).asLong();
        }
        if (!Arrays.equals(theirs, LatencyHistogram.BOUNDS_MILLIS)) {
            throw new BadDocumentException("latencyBoundsMillis: " + Arrays.toString(theirs) + " (expected: "
                    + Arrays.toString(LatencyHistogram.BOUNDS_MILLIS) + ", the same hikkoshi version on both sides)");
        }
        Map<TrafficKey, TrafficStats> stats = new HashMap<>();
        int i = 0;
        for (JsonNode item : root.path("stats")) {
            String path = "stats[" + i++ + "]";
            String site = item.path("site").asText("");
            if (!SiteId.isValid(site)) {
                throw new BadDocumentException(path + ".site: " + shown(item.path("site")) + " (expected: a site name)");
            }
            JsonNode latency = item.path("latency");
            long[] counts = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
            if (latency.size() != counts.length) {
                throw new BadDocumentException(path + ".latency: " + shown(latency) + " (expected: "
                        + counts.length + " bucket counts)");
            }
            for (int b = 0; b < counts.length; b++) {
                counts[b] = latency.get(b).asLong();
            }
            try {
                stats.put(new TrafficKey(item.path("tenant").asText("-"), SiteId.of(site)),
                        new TrafficStats(longField(item, "requests", 0), longField(item, "serverErrors", 0),
                                new LatencyHistogram(counts)));
            } catch (IllegalArgumentException e) {
                throw new BadDocumentException(path + ": " + e.getMessage());
            }
        }
        return new TrafficWindow.Snapshot(instant(root, "from"), instant(root, "to"), stats);
    }

    // {"longerThanMillis": 2500, "tenants": [{"tenant": "acme", "open": 2, "oldestMillis": 31000,
    //  "oldestRequest": "r-17 GET /events (31000 ms)"}]}
    static ObjectNode openRequests(Duration longerThan, Map<TenantId, OpenRequests> open) {
        ObjectNode root = MAPPER.createObjectNode().put("longerThanMillis", longerThan.toMillis());
        ArrayNode tenants = root.putArray("tenants");
        open.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> tenants.addObject()
                .put("tenant", e.getKey().value()).put("open", e.getValue().count())
                .put("oldestMillis", e.getValue().oldest().toMillis()).put("oldestRequest", e.getValue().oldestRequest()));
        return root;
    }

    static Map<TenantId, OpenRequests> openRequests(JsonNode root) {
        Map<TenantId, OpenRequests> out = new HashMap<>();
        int i = 0;
        for (JsonNode item : root.path("tenants")) {
            String path = "tenants[" + i++ + "]";
            String tenant = item.path("tenant").asText("");
            if (!TenantId.isValid(tenant)) {
                throw new BadDocumentException(path + ".tenant: " + shown(item.path("tenant")) + " (expected: a tenant name)");
            }
            out.put(TenantId.of(tenant), new OpenRequests((int) longField(item, "open", 1),
                    Duration.ofMillis(longField(item, "oldestMillis", 0)), item.path("oldestRequest").asText("")));
        }
        return Map.copyOf(out);
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    static ObjectNode error(String message, String listName, List<String> items) {
        ObjectNode n = error(message);
        ArrayNode list = n.putArray(listName);
        items.forEach(list::add);
        return n;
    }

    static List<String> strings(JsonNode node) {
        return node.isArray() ? StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList()
                : List.of();
    }

    private static long longField(JsonNode n, String field, long min) {
        JsonNode v = n.path(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min) {
            throw new BadDocumentException(field + ": " + shown(v) + " (expected: an integer >= " + min + ")");
        }
        return v.asLong();
    }

    private static Instant instant(JsonNode n, String field) {
        try {
            return Instant.parse(n.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw new BadDocumentException(field + ": " + shown(n.path(field)) + " (expected: an ISO-8601 instant)");
        }
    }

    private static String shown(JsonNode n) {
        if (n.isMissingNode()) {
            return "(missing)";
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

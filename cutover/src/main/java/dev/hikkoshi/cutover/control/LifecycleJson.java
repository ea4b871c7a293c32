package dev.hikkoshi.cutover.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.NotFinalized;
import dev.hikkoshi.cutover.control.ControllerOperations.PurgeReport;
import dev.hikkoshi.cutover.control.ControllerOperations.WaveFinalization;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's documents for the end of a move's life (a wave's finalize, a purge), written and read field by
 * field like {@link ControllerJson}'s: shared by {@link ControllerAdminApi} and {@link ControllerClient}.
 */
final class LifecycleJson {
    private LifecycleJson() {
    }

    // {"done": "finalize-wave", "subject": "pilot", "finalized": ["acme"],
    //  "notFinalized": [{"tenant": "umbrella", "reason": "BAKING (finalize needs DONE)"}]}
    static ObjectNode waveFinalization(WaveFinalization w) {
        ObjectNode root = ControllerJson.MAPPER.createObjectNode().put("done", "finalize-wave").put("subject", w.wave());
        ArrayNode finalized = root.putArray("finalized");
        w.finalized().forEach(t -> finalized.add(t.value()));
        ArrayNode others = root.putArray("notFinalized");
        w.notFinalized().forEach(n -> others.addObject().put("tenant", n.tenant().value()).put("reason", n.reason()));
        return root;
    }

    static WaveFinalization waveFinalization(JsonNode root) {
        List<TenantId> finalized = new ArrayList<>();
        for (JsonNode t : array(root, "finalized")) {
            finalized.add(tenant(t.asText(), "finalized[]"));
        }
        List<NotFinalized> others = new ArrayList<>();
        for (JsonNode n : array(root, "notFinalized")) {
            others.add(new NotFinalized(tenant(n.path("tenant").asText(), "notFinalized[].tenant"),
                    n.path("reason").asText()));
        }
        return new WaveFinalization(root.path("subject").asText(), finalized, others);
    }

    // {"done": "purge", "subject": "acme", "site": "legacy", "rows": {"order_items": 12, "orders": 4},
    //  "kept": ["tenants (...)"]}
    static ObjectNode purge(PurgeReport r) {
        ObjectNode root = ControllerJson.MAPPER.createObjectNode().put("done", "purge").put("subject", r.tenant().value())
                .put("site", r.site().value());
        ObjectNode rows = root.putObject("rows");
        r.rowsByTable().forEach(rows::put);
        ArrayNode kept = root.putArray("kept");
        r.kept().forEach(kept::add);
        return root;
    }

    static PurgeReport purge(JsonNode root) {
        String site = root.path("site").asText();
        if (!SiteId.isValid(site)) {
            throw new ControllerJson.BadDocumentException("site: " + site + " (expected: a site name)");
        }
        JsonNode rowsNode = root.path("rows");
        if (!rowsNode.isObject()) {
            throw new ControllerJson.BadDocumentException("rows: (expected: a map of table names to row counts)");
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        rowsNode.fields().forEachRemaining(e -> {
            if (!e.getValue().isIntegralNumber()) {
                throw new ControllerJson.BadDocumentException("rows." + e.getKey() + ": " + e.getValue()
                        + " (expected: a row count)");
            }
            rows.put(e.getKey(), e.getValue().asLong());
        });
        List<String> kept = new ArrayList<>();
        array(root, "kept").forEach(k -> kept.add(k.asText()));
        return new PurgeReport(tenant(root.path("subject").asText(), "subject"), SiteId.of(site), rows, kept);
    }

    // {"shared": [{"table": "countries", "writer": "cloud", "configured": "legacy", "switchedAt": "...",
    //  "switchedBy": "ops-alice"}]}   (the last two only after a switch)
    static ObjectNode sharedWriters(List<SharedTableSync.Writer> writers) {
        ObjectNode root = ControllerJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("shared");
        for (SharedTableSync.Writer w : writers) {
            ObjectNode n = list.addObject().put("table", w.table()).put("writer", w.writer().value())
                    .put("configured", w.configured().value());
            w.switchedAt().ifPresent(at -> n.put("switchedAt", at.toString()));
            w.switchedBy().ifPresent(by -> n.put("switchedBy", by));
        }
        return root;
    }

    static List<SharedTableSync.Writer> sharedWriters(JsonNode root) {
        List<SharedTableSync.Writer> out = new ArrayList<>();
        for (JsonNode n : array(root, "shared")) {
            out.add(new SharedTableSync.Writer(n.path("table").asText(), site(n.path("writer").asText(), "writer"),
                    site(n.path("configured").asText(), "configured"),
                    n.hasNonNull("switchedAt") ? Optional.of(Instant.parse(n.path("switchedAt").asText()))
                            : Optional.empty(),
                    n.hasNonNull("switchedBy") ? Optional.of(n.path("switchedBy").asText()) : Optional.empty()));
        }
        return out;
    }

    // {"done": "shared-switch", "subject": "countries", "from": "legacy", "to": "cloud", "rowsVerified": 250,
    //  "frozenMillis": 412}
    static ObjectNode switched(SharedTableSync.Switched s) {
        return ControllerJson.MAPPER.createObjectNode().put("done", "shared-switch").put("subject", s.table())
                .put("from", s.from().value()).put("to", s.to().value()).put("rowsVerified", s.rowsVerified())
                .put("frozenMillis", s.frozen().toMillis());
    }

    static SharedTableSync.Switched switched(JsonNode root) {
        if (!root.path("rowsVerified").isIntegralNumber() || !root.path("frozenMillis").isIntegralNumber()) {
            throw new ControllerJson.BadDocumentException("rowsVerified, frozenMillis: (expected: integers)");
        }
        return new SharedTableSync.Switched(root.path("subject").asText(), site(root.path("from").asText(), "from"),
                site(root.path("to").asText(), "to"), root.path("rowsVerified").asLong(),
                Duration.ofMillis(root.path("frozenMillis").asLong()));
    }

    private static SiteId site(String text, String path) {
        if (!SiteId.isValid(text)) {
            throw new ControllerJson.BadDocumentException(path + ": " + text + " (expected: a site name)");
        }
        return SiteId.of(text);
    }

    private static JsonNode array(JsonNode root, String field) {
        JsonNode n = root.path(field);
        if (!n.isArray()) {
            throw new ControllerJson.BadDocumentException(field + ": (expected: a list)");
        }
        return n;
    }

    private static TenantId tenant(String text, String path) {
        if (!TenantId.isValid(text)) {
            throw new ControllerJson.BadDocumentException(path + ": " + text + " (expected: a tenant name)");
        }
        return TenantId.of(text);
    }
}

package dev.hikkoshi.cutover.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.NotFinalized;
import dev.hikkoshi.cutover.control.ControllerOperations.PurgeReport;
import dev.hikkoshi.cutover.control.ControllerOperations.WaveFinalization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

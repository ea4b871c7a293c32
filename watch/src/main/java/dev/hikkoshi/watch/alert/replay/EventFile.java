package dev.hikkoshi.watch.alert.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.MoveHold;
import dev.hikkoshi.watch.alert.PipelineInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The recorded event stream, one JSON object a line (docs/watch.md): an evaluation
 * {@code {"time":"2026-11-29T06:00:00Z","labels":{"check":"http-5xx","tenant":"acme"},"status":"firing","count":3}}
 * or a move fact {@code {"time":"...","move":{"tenant":"acme","hold":"frozen"}}}. Blank lines and lines starting
 * with {@code #} are skipped; lines must be in time order. A bad line is a {@link UserException} naming its number.
 */
public final class EventFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED = "a JSON object with time and labels (and status, count), or time and move";

    private EventFile() {
    }

    public static List<PipelineInput> read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in.lines().iterator());
        } catch (NoSuchFileException e) {
            throw new UserException("event file " + file + " does not exist", "pass a JSONL file of recorded events");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserException("event file " + file + " cannot be read: " + e.getMessage(),
                    "check the file's permissions and that it is UTF-8 text");
        }
    }

    public static List<PipelineInput> parse(String name, Iterator<String> lines) {
        List<PipelineInput> out = new ArrayList<>();
        Instant last = Instant.MIN;
        for (int n = 1; lines.hasNext(); n++) {
            String line = lines.next().trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            PipelineInput input = line(name, n, line);
            if (input.time().isBefore(last)) {
                throw bad(name, n, "time: " + input.time(), "a time not before the previous line's " + last
                        + " (lines in time order)");
            }
            last = input.time();
            out.add(input);
        }
        return out;
    }

    private static PipelineInput line(String name, int n, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw bad(name, n, shorten(line), EXPECTED + " (not valid JSON: " + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
            throw bad(name, n, shorten(line), EXPECTED);
        }
        Instant time;
        try {
            time = Instant.parse(node.path("time").asText(""));
        } catch (DateTimeParseException e) {
            throw bad(name, n, "time: " + shown(node.path("time")), "an ISO-8601 instant such as 2026-11-29T06:00:00Z");
        }
        if (node.has("move")) {
            JsonNode move = node.path("move");
            String tenant = move.path("tenant").asText("");
            if (!TenantId.isValid(tenant)) {
                throw bad(name, n, "move.tenant: " + shown(move.path("tenant")), "a tenant name");
            }
            String hold = move.path("hold").asText("");
            for (MoveHold h : MoveHold.values()) {
                if (ConfigNode.spelling(h).equals(hold)) {
                    return new PipelineInput.MoveFact(time, TenantId.of(tenant), h);
                }
            }
            throw bad(name, n, "move.hold: " + shown(move.path("hold")), "one of " + Arrays.stream(MoveHold.values())
                    .map(ConfigNode::spelling).collect(Collectors.joining(", ")));
        }
        JsonNode labelsNode = node.path("labels");
        if (!labelsNode.isObject()) {
            throw bad(name, n, "labels: " + shown(labelsNode), "an object of label names to values, with at least check");
        }
        Map<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : labelsNode.properties()) {
            if (!Labels.NAME.matcher(e.getKey()).matches() || !e.getValue().isValueNode() || e.getValue().asText().isEmpty()) {
                throw bad(name, n, "labels." + e.getKey() + ": " + shown(e.getValue()),
                        "a label name of lower-case letters, digits, '_' or '-' with a non-empty text value");
            }
            labels.put(e.getKey(), e.getValue().asText());
        }
        if (!labels.containsKey(Labels.CHECK)) {
            throw bad(name, n, "labels.check: (missing)", "the name of the check, such as http-5xx");
        }
        String status = node.path("status").asText("firing");
        AlertStatus s = switch (status) {
            case "firing" -> AlertStatus.FIRING;
            case "resolved" -> AlertStatus.RESOLVED;
            default -> throw bad(name, n, "status: " + status, "firing or resolved");
        };
        JsonNode count = node.path("count");
        if (!count.isMissingNode() && (!count.isIntegralNumber() || count.asLong() < 1)) {
            throw bad(name, n, "count: " + shown(count), "an integer of at least 1");
        }
        return new PipelineInput.Event(time, new Labels(labels), s, count.isMissingNode() ? 1 : count.asLong());
    }

    /** Writes inputs in this format (used by tests and by anyone recording a stream). */
    public static void write(List<PipelineInput> inputs, Writer out) throws IOException {
        for (PipelineInput in : inputs) {
            ObjectNode n = JSON.createObjectNode().put("time", in.time().toString());
            if (in instanceof PipelineInput.MoveFact f) {
                n.putObject("move").put("tenant", f.tenant().value()).put("hold", ConfigNode.spelling(f.hold()));
            } else if (in instanceof PipelineInput.Event e) {
                ObjectNode l = n.putObject("labels");
                e.labels().values().forEach(l::put);
                n.put("status", e.status().name().toLowerCase(Locale.ROOT)).put("count", e.count());
            }
            out.write(JSON.writeValueAsString(n));
            out.write('\n');
        }
    }

    private static UserException bad(String name, int line, String value, String expected) {
        return new UserException(name + " line " + line + ": " + value + " (expected: " + expected + ")",
                "fix that line of the event file; docs/watch.md describes the format");
    }

    private static String shown(JsonNode n) {
        return n.isMissingNode() ? "(missing)" : shorten(n.isValueNode() ? n.asText() : n.toString());
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

package dev.hikkoshi.watch.alert.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The audit log of suppressions, one JSON object a line in {@code <state-dir>/alerts/audit.jsonl}. The live
 * pipeline appends to it; {@code hikkoshi alerts log} reads it. Appends are flushed per line so that a reader
 * sees them at once; a torn last line (a crash mid-write) is skipped on reading, never fatal.
 */
public final class AuditLog implements Consumer<Suppression>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;

    private AuditLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** The audit file inside a state directory. */
    public static Path fileIn(Path stateDir) {
        return stateDir.resolve("alerts").resolve("audit.jsonl");
    }

    public static AuditLog append(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new AuditLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UserException("cannot open the alert audit log " + file + ": " + e.getMessage(),
                    "check that the state-dir exists and is writable");
        }
    }

    @Override
    public synchronized void accept(Suppression s) {
        ObjectNode n = JSON.createObjectNode().put("time", s.time().toString())
                .put("reason", s.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .put("subject", s.subject()).put("receiver", s.receiver()).put("detail", s.detail());
        try {
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the alert audit log " + file, e);
        }
    }

    /** Every readable line of an audit file, oldest first; none when the file does not exist yet. */
    public static List<Suppression> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UserException("cannot read the alert audit log " + file + ": " + e.getMessage(),
                    "check the file's permissions");
        }
        List<Suppression> out = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode n = JSON.readTree(line);
                out.add(new Suppression(Instant.parse(n.path("time").asText()),
                        SuppressionReason.valueOf(n.path("reason").asText().toUpperCase(Locale.ROOT).replace('-', '_')),
                        n.path("subject").asText(), n.path("receiver").asText(), n.path("detail").asText()));
            } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
                // A torn line from a crash mid-append: the rest of the log is still worth reading.
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the alert audit log " + file, e);
        }
    }
}

package dev.hikkoshi.cutover.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The writer sites of shared tables as {@code hikkoshi shared switch} last set them, kept in
 * {@code STATE_DIR/shared-writers.json} (written to a temporary file, forced, renamed over the old one, the
 * directory forced: a crash leaves the old or the new file, never half of one). An entry overrides the config's
 * {@code data.tables.NAME.shared.writer}. Each entry also keeps the change positions noted while the table was
 * frozen: where the new direction's stream starts if it has no checkpoint yet, and where the watch of the old
 * writer starts, so that a controller restarted right after a switch neither misses nor repeats anything.
 */
final class SharedWriters {
    static final String FILE_NAME = "shared-writers.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One table's switched writer. */
    record Entry(String table, SiteId writer, String streamFrom, String watchFrom, String by, Instant at) {
        Entry {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(streamFrom, "streamFrom");
            Objects.requireNonNull(watchFrom, "watchFrom");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }
    }

    private final Path file;
    private volatile Map<String, Entry> entries;

    private SharedWriters(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the state directory's file (none: no table was switched). A file that cannot be read is refused. */
    static SharedWriters load(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
                root.fields().forEachRemaining(e -> {
                    JsonNode n = e.getValue();
                    entries.put(e.getKey(), new Entry(e.getKey(), SiteId.of(n.path("writer").asText()),
                            n.path("streamFrom").asText(), n.path("watchFrom").asText(), n.path("by").asText(),
                            Instant.parse(n.path("at").asText())));
                });
            } catch (IOException | RuntimeException e) {
                throw new UserException("cannot read the shared tables' writers from " + file + ": " + e.getMessage(),
                        "restore the file from a backup, or remove it to fall back to the config's writers (then "
                                + "check with hikkoshi data verify --all that the shared tables are equal)", e);
            }
        }
        return new SharedWriters(file, Collections.unmodifiableMap(entries));
    }

    Optional<Entry> entry(String table) {
        return Optional.ofNullable(entries.get(table));
    }

    /** The table's writer: the switched one, else {@code configured}. */
    SiteId writer(String table, SiteId configured) {
        return entry(table).map(Entry::writer).orElse(configured);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** Records a switch durably; returns when the file is on disk. */
    synchronized void save(Entry entry) {
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.put(entry.table(), entry);
        ObjectNode root = JSON.createObjectNode();
        next.values().forEach(e -> root.putObject(e.table()).put("writer", e.writer().value())
                .put("streamFrom", e.streamFrom()).put("watchFrom", e.watchFrom()).put("by", e.by())
                .put("at", e.at().toString()));
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                c.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
                c.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // some file systems cannot open a directory: the rename is still atomic
            }
        } catch (IOException e) {
            throw new UserException("cannot write the shared tables' writers to " + file + ": " + e,
                    "make the state directory (state-dir) writable by the controller's user", e);
        }
        entries = Collections.unmodifiableMap(next);
    }
}

package dev.hikkoshi.watch.alert.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.watch.alert.Matcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The silences, persisted as one JSON document ({@code <state-dir>/alerts/silences.json} by default). Writes go
 * to a temporary file that is fsynced and atomically renamed, so a crash never leaves half a file. The pipeline
 * reads {@link #snapshot()} (an immutable list swapped atomically) and calls {@link #refresh()} on its ticks to
 * pick up silences that the CLI wrote from another process.
 */
public final class SilenceStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final AtomicReference<List<Silence>> silences = new AtomicReference<>(List.of());
    private volatile FileTime loadedModified;

    private SilenceStore(Path file) {
        this.file = file;
    }

    /** The default silence file inside a state directory. */
    public static Path fileIn(Path stateDir) {
        return stateDir.resolve("alerts").resolve("silences.json");
    }

    /** Opens (and reads, if it exists) a silence file. */
    public static SilenceStore open(Path file) {
        SilenceStore store = new SilenceStore(file);
        store.refresh();
        return store;
    }

    public Path file() {
        return file;
    }

    public List<Silence> snapshot() {
        return silences.get();
    }

    /** Re-reads the file if it changed since it was last read. */
    public synchronized void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loadedModified)) {
                silences.set(parse(Files.readString(file, StandardCharsets.UTF_8)));
                loadedModified = modified;
            }
        } catch (NoSuchFileException e) {
            silences.set(List.of());
            loadedModified = null;
        } catch (IOException e) {
            throw new UserException("cannot read the silence file " + file + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }

    /** Adds a silence and persists the store; returns it. */
    public synchronized Silence add(List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                                    String comment) {
        refresh();
        int next = silences.get().stream().mapToInt(s -> Integer.parseInt(s.id().substring(1))).max().orElse(0) + 1;
        Silence s = new Silence("s" + next, matchers, startsAt, endsAt, createdBy, comment);
        List<Silence> updated = new ArrayList<>(silences.get());
        updated.add(s);
        write(updated);
        return s;
    }

    /** Ends a silence now (kept in the file for the record); the silence as it now is. */
    public synchronized Silence expire(String id, Instant now) {
        refresh();
        List<Silence> updated = new ArrayList<>();
        Optional<Silence> expired = Optional.empty();
        for (Silence s : silences.get()) {
            if (s.id().equals(id)) {
                if (!s.activeAt(now) && !now.isBefore(s.endsAt())) {
                    throw new UserException("silence " + id + " already ended at " + s.endsAt(),
                            "list the active silences with 'hikkoshi alerts silence list'");
                }
                Instant start = s.startsAt().isAfter(now) ? now.minusMillis(1) : s.startsAt();
                s = new Silence(s.id(), s.matchers(), start, now, s.createdBy(), s.comment());
                expired = Optional.of(s);
            }
            updated.add(s);
        }
        if (expired.isEmpty()) {
            throw new UserException("no silence with id " + id + " in " + file,
                    "list the silences and their ids with 'hikkoshi alerts silence list'");
        }
        write(updated);
        return expired.get();
    }

    private void write(List<Silence> list) {
        ArrayNode root = JSON.createArrayNode();
        for (Silence s : list) {
            ObjectNode n = root.addObject().put("id", s.id());
            ArrayNode m = n.putArray("matchers");
            s.matchers().forEach(x -> m.add(x.toString()));
            n.put("startsAt", s.startsAt().toString()).put("endsAt", s.endsAt().toString())
                    .put("createdBy", s.createdBy()).put("comment", s.comment());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(root)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            silences.set(List.copyOf(list));
            loadedModified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UserException("cannot write the silence file " + file + ": " + e.getMessage(),
                    "check that the state-dir exists and is writable");
        }
    }

    private List<Silence> parse(String text) {
        List<Silence> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(text);
            int i = 0;
            for (JsonNode n : root) {
                List<Matcher> matchers = new ArrayList<>();
                for (JsonNode m : n.path("matchers")) {
                    matchers.add(Matcher.parse(m.asText()).orElseThrow(() -> new IllegalArgumentException(
                            "matcher " + m.asText() + " is not " + Matcher.SYNTAX)));
                }
                out.add(new Silence(n.path("id").asText("s" + i), matchers, Instant.parse(n.path("startsAt").asText()),
                        Instant.parse(n.path("endsAt").asText()), n.path("createdBy").asText(""),
                        n.path("comment").asText("")));
                i++;
            }
        } catch (IOException | RuntimeException e) {
            throw new UserException("the silence file " + file + " is damaged: " + e.getMessage(),
                    "restore it from a backup or remove it (all silences are then lifted)");
        }
        return List.copyOf(out);
    }
}

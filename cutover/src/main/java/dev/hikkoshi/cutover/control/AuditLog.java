package dev.hikkoshi.cutover.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's append-only audit log: one JSON object per line in {@code STATE_DIR/audit.jsonl}, each
 * line forced to disk before the call that wrote it returns. Written by {@link AuditedOperations} for every
 * control action (over HTTP or in process) and by {@link ControllerAdminApi} for requests refused for their
 * token. Lines are never rewritten; the file is only ever opened for appending.
 *
 * <p>Concurrency: {@link #append} is synchronized, so lines never interleave; control actions are rare.
 */
public final class AuditLog implements AutoCloseable {
    /** The file name inside the state directory. */
    public static final String FILE_NAME = "audit.jsonl";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How a control action ended. */
    public enum Outcome {
        OK, REFUSED, FAILED, UNAUTHORIZED
    }

    /**
     * One line of the log.
     *
     * @param who     the admin token's name, {@code local:USER} for an in-process call, or {@code -} when the
     *                token was not accepted
     * @param what    the operation: apply, pause, resume, rollback, finalize, approve (or the HTTP request of an
     *                unauthorized one)
     * @param subject the tenant or wave, or {@code plan}
     * @param detail  what the operator gave besides the subject (the pause reason), if anything
     * @param message the refusal's or failure's message, if any
     */
    public record Entry(Instant at, String who, String what, String subject, Optional<String> detail,
                        Outcome outcome, Optional<String> message) {
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(who, "who");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(message, "message");
        }

        // {"at":"2026-11-29T09:30:00Z","who":"ops-alice","what":"rollback","subject":"acme","outcome":"refused",
        //  "message":"..."}: the schema is API (tests assert it), so it is written field by field.
        String toJson() {
            ObjectNode n = MAPPER.createObjectNode().put("at", at.toString()).put("who", who).put("what", what)
                    .put("subject", subject);
            detail.ifPresent(d -> n.put("detail", d));
            n.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
            message.ifPresent(m -> n.put("message", m));
            try {
                return MAPPER.writeValueAsString(n);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of our own cannot fail to serialize", e);
            }
        }
    }

    private final Path file;
    private final FileChannel channel;

    private AuditLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens (creating if needed) the audit log of a state directory for appending.
     *
     * @throws UserException when the directory or the file cannot be created or written
     */
    public static AuditLog open(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateDir);
            boolean created = !Files.exists(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            if (created) {
                syncDirectory(stateDir);
            }
            return new AuditLog(file, channel);
        } catch (IOException e) {
            throw new UserException("cannot open the audit log " + file + ": " + e,
                    "make the state directory (state-dir) writable by the controller's user", e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one line and forces it to disk.
     *
     * @throws UncheckedIOException when the line could not be written: the caller reports the failure
     */
    public synchronized void append(Entry entry) {
        byte[] line = (entry.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the audit log " + file, e);
        }
    }

    /** A new file's directory entry survives a crash only once the directory itself is synced. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the file's own fsyncs still hold its lines.
        }
    }
}

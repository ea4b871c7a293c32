package dev.hikkoshi.cutover.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes {@link Plan}s as JSON files: {@code hikkoshi plan -o PLAN} writes one, {@code hikkoshi apply
 * PLAN} reads it. Writes are atomic (a temporary file beside the target, fsynced, then moved over it), so a
 * crash never leaves half a plan. A missing, unreadable, truncated, foreign or hand-edited file is a
 * {@link UserException} naming the file, with the hint to make a new plan.
 */
public final class PlanFile {
    /** The hint of every unusable plan file. */
    public static final String HINT = "make a new one with hikkoshi plan -c FILE -o PLAN";

    private PlanFile() {
    }

    /** The plan in {@code file}; a file that does not hold a plan of this format is a user error. */
    public static Plan read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserException("plan file " + file + " does not exist", HINT);
        } catch (IOException e) {
            throw new UserException("plan file " + file + " cannot be read: " + e.getMessage(), HINT, e);
        }
        JsonNode node;
        try {
            node = PlanJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new UserException("plan file " + file + " is not a hikkoshi plan: invalid or truncated JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()), HINT);
        } catch (IOException e) {
            throw new UserException("plan file " + file + " cannot be read: " + e.getMessage(), HINT, e);
        }
        if (node == null || node.isMissingNode()) {
            throw new UserException("plan file " + file + " is empty", HINT);
        }
        Plan plan;
        try {
            plan = PlanJson.fromJson(node);
        } catch (PlanJson.BadPlanException e) {
            throw new UserException("plan file " + file + " is not a hikkoshi plan: " + e.getMessage(), HINT);
        }
        if (!PlanJson.contentId(plan).equals(plan.id())) {
            throw new UserException("plan file " + file + " was changed after hikkoshi plan wrote it (its id does "
                    + "not match its content)", HINT);
        }
        return plan;
    }

    /** Writes {@code plan} to {@code file} atomically, replacing it; a path that cannot be written is a user error. */
    public static void write(Path file, Plan plan) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) {
            throw new UserException("cannot write plan file " + file + ": directory " + dir + " does not exist",
                    "create the directory, or give -o a path in an existing one");
        }
        Path temp = null;
        try {
            byte[] bytes = PlanJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(PlanJson.toJson(plan));
            temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UserException("cannot write plan file " + file + ": " + e.getMessage(),
                    "give -o a path in a directory you can write to", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed and says so; a stray temporary file is harmless
                }
            }
        }
    }
}

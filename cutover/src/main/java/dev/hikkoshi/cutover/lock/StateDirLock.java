package dev.hikkoshi.cutover.lock;

import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The controller's exclusive lock on its state directory: an OS file lock ({@link FileChannel#tryLock}) on
 * {@value #FILE_NAME} there, held for the controller's lifetime, so that two controllers never append to one
 * journal or push one routing table. The file holds the owner's pid, for the refusal message. Taken by
 * {@code ControllerProcess} before it opens the journal.
 *
 * <p>The file is never deleted: a process that opened it just before a delete would lock an unlinked inode
 * while the next one locks a new file, and both would think they own the directory.
 */
public final class StateDirLock implements AutoCloseable {
    public static final String FILE_NAME = "controller.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code stateDir} (created if absent) or refuses with a {@link UserException} naming the directory and
     * the pid of the process that holds it.
     */
    public static StateDirLock acquire(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null; // another controller of this very JVM holds it (tests, or a bug)
            }
            if (lock == null) {
                String owner = owner(channel);
                channel.close();
                throw refused(stateDir, owner);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new StateDirLock(stateDir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UserException("cannot lock the state dir " + stateDir + ": " + e,
                    "check that " + file + " can be created and written by this user (state-dir in the config)", e);
        }
    }

    static UserException refused(Path stateDir, String owner) {
        return new UserException("another controller is using state dir " + stateDir + " (pid " + owner + ")",
                "stop that controller first, or give this one a state-dir of its own in the config");
    }

    private static String owner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("\\d{1,12}") ? text : "unknown";
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + dir.resolve(FILE_NAME), e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do with a channel that will not close
            }
        }
    }
}

package dev.hikkoshi.cutover.journal;

import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The move journal: an append-only file ({@code <state-dir>/moves.journal}) of {@link JournalEntry} records,
 * each forced to disk before {@link #append} returns, so that a transition is durable before it takes effect.
 * The move runner and the controller append; {@link #open} reads every record back for {@link JournalReplay}.
 *
 * <p>Record format: {@code length} (int, big-endian, payload bytes), {@code crc} (int, CRC32C over the four
 * length bytes and the payload, so a flipped length bit is caught too), then the payload (JSON, UTF-8).
 *
 * <p>Recovery: only the last append can be torn by a crash (a short header, a short payload, or bytes never
 * written, which read as zeros). At the first record that does not verify, {@link #open} looks for any
 * verifying record further on, at every byte offset: if there is none, the bad bytes are the torn tail of the
 * last append and are truncated away with a warning; if there is one, valid history follows a bad record,
 * which no crash produces, and opening is refused rather than dropping that history.
 *
 * <p>Concurrency: appends are serialised on this object; runners of several moves share one journal.
 */
public final class Journal implements AutoCloseable {
    /** A record larger than this is not one hikkoshi wrote: its length field is damaged. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final int HEADER_BYTES = 8;
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final FileChannel channel;
    private final List<JournalEntry> replayed;
    private long size;

    private Journal(Path file, FileChannel channel, List<JournalEntry> replayed, long size) {
        this.file = file;
        this.channel = channel;
        this.replayed = List.copyOf(replayed);
        this.size = size;
    }

    /** The journal in {@code stateDir}, created (with the directory) if absent. */
    public static Journal openIn(Path stateDir) {
        return open(stateDir.resolve("moves.journal"));
    }

    /**
     * Opens (creating if absent) the journal at {@code file} and reads every record; a torn last record is
     * truncated away. Throws a {@link UserException} when a bad record is followed by valid ones.
     */
    public static Journal open(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean created = !Files.exists(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                if (created) {
                    forceDirectory(dir);
                }
                ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(channel.size()));
                while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
                    // read until full: FileChannel.read may return fewer bytes than asked
                }
                List<JournalEntry> entries = new ArrayList<>();
                long end = scan(file, all.array(), entries);
                if (end < all.capacity()) {
                    log.warn("journal {}: dropped a torn last record at offset {} ({} bytes); a crash interrupted "
                            + "its append, so the transition it held never took effect", file, end, all.capacity() - end);
                    channel.truncate(end);
                    channel.force(true);
                }
                channel.position(end);
                return new Journal(file, channel, entries, end);
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            // Almost always the state directory: missing rights, a read-only mount, a full disk.
            throw new UserException("journal " + file + " cannot be opened: " + e, "check that state-dir "
                    + file.toAbsolutePath().getParent() + " is on a writable disk with room, owned by this user", e);
        }
    }

    /** Reads records from {@code bytes} into {@code out}; returns where the valid records end. */
    private static long scan(Path file, byte[] bytes, List<JournalEntry> out) {
        int offset = 0;
        int index = 0;
        while (offset < bytes.length) {
            int length = payloadLength(bytes, offset);
            if (length < 0) {
                if (anyValidRecordAfter(bytes, offset)) {
                    throw new UserException("journal " + file + " is corrupt at offset " + offset + " (record "
                            + (index + 1) + "): it fails its checksum but valid records follow it",
                            "a crash cannot do this: restore the state directory from a backup, or inspect "
                                    + "the file (each record is a length, a CRC32C and a JSON payload)");
                }
                return offset;
            }
            byte[] payload = new byte[length];
            System.arraycopy(bytes, offset + HEADER_BYTES, payload, 0, length);
            try {
                out.add(JournalCodec.decode(payload));
            } catch (RuntimeException e) {
                throw new UserException("journal " + file + " has an unreadable record at offset " + offset
                        + " (record " + (index + 1) + "): " + e.getMessage(),
                        "was it written by a newer hikkoshi? Use that version, or restore the state directory "
                                + "from a backup");
            }
            offset += HEADER_BYTES + length;
            index++;
        }
        return offset;
    }

    /** The payload length of a record at {@code offset} that fits in {@code bytes} and verifies, or -1. */
    static int payloadLength(byte[] bytes, int offset) {
        if (bytes.length - offset < HEADER_BYTES) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, offset, HEADER_BYTES);
        int length = header.getInt();
        int crc = header.getInt();
        // Zero-length records are never written: a zero-filled tail (size grown, data lost) must not verify.
        if (length <= 0 || length > MAX_PAYLOAD_BYTES || length > bytes.length - offset - HEADER_BYTES) {
            return -1;
        }
        return checksum(bytes, offset, length) == crc ? length : -1;
    }

    private static boolean anyValidRecordAfter(byte[] bytes, int badOffset) {
        for (int o = badOffset + 1; o <= bytes.length - HEADER_BYTES; o++) {
            if (payloadLength(bytes, o) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + HEADER_BYTES, length);
        return (int) crc.getValue();
    }

    /** The bytes of one record holding {@code entry}: length, checksum, payload. */
    static byte[] record(JournalEntry entry) {
        byte[] payload = JournalCodec.encode(entry);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("journal entry of " + payload.length + " bytes exceeds "
                    + MAX_PAYLOAD_BYTES + ": " + entry);
        }
        byte[] out = new byte[HEADER_BYTES + payload.length];
        ByteBuffer.wrap(out).putInt(payload.length);
        System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
        ByteBuffer.wrap(out, 4, 4).putInt(checksum(out, 0, payload.length));
        return out;
    }

    /** The entries read when the journal was opened, in file order. */
    public List<JournalEntry> replayed() {
        return replayed;
    }

    public Path file() {
        return file;
    }

    /**
     * Appends {@code entry} and returns only after the bytes are on disk ({@link FileChannel#force}). An
     * {@link UncheckedIOException} means the entry may or may not be durable: the caller must not let it take
     * effect (the runner fails the move's thread, and a restart replays whatever reached the disk).
     */
    public synchronized void append(JournalEntry entry) {
        byte[] bytes = record(entry);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, size + buffer.position());
            }
            // force(false) is fdatasync: it includes the file-size change that makes the new bytes readable.
            channel.force(false);
            size += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + file + ": append at offset " + size + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static void forceDirectory(Path dir) {
        // A new file's name is durable only once its directory is synced; Linux allows fsync on a directory.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.debug("directory {} cannot be synced on this platform: {}", dir, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + file + " cannot be closed: " + e.getMessage(), e);
        }
    }
}

package dev.hikkoshi.data.capture;

/**
 * Where a capture is in the source's history, in the notation of its mode. Positions are checkpointed only at
 * transaction boundaries, after the target committed what came before them.
 */
public sealed interface CapturePosition {
    /** The mode's notation, for checkpoints, status output and messages. */
    String text();

    /** The position whose {@link #text()} is {@code text}: how checkpoints are read back. */
    static CapturePosition parse(String text) {
        if (text.startsWith("gtid:")) {
            return new Gtid(text.substring(5));
        }
        if (text.startsWith("changelog:")) {
            return new ChangeLog(Long.parseLong(text.substring(10)));
        }
        if (text.startsWith("pass:")) {
            return new DifferentialPass(Long.parseLong(text.substring(5)));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a capture position: " + text);
        }
        return new BinlogFile(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    }

    /** A binlog coordinate: the position after the transaction's XID/COMMIT event. */
    record BinlogFile(String file, long position) implements CapturePosition {
        @Override
        public String text() {
            return file + ":" + position;
        }
    }

    /** A MariaDB GTID set ({@code 0-101-42}); preferred when the server has GTIDs, survives binlog rotation. */
    record Gtid(String gtidSet) implements CapturePosition {
        @Override
        public String text() {
            return "gtid:" + gtidSet;
        }
    }

    /** The last id drained from hikkoshi's trigger change-log table on the source. */
    record ChangeLog(long lastId) implements CapturePosition {
        @Override
        public String text() {
            return "changelog:" + lastId;
        }
    }

    /** The number of the last completed checksum pass. */
    record DifferentialPass(long pass) implements CapturePosition {
        @Override
        public String text() {
            return "pass:" + pass;
        }
    }
}

package dev.hikkoshi.data.capture;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

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
            int at = text.indexOf('@');
            if (at < 0) {
                return new DifferentialPass(Long.parseLong(text.substring(5)));
            }
            try {
                return new DifferentialPass(Long.parseLong(text.substring(5, at)), Optional.of(Instant.parse(text.substring(at + 1))));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not a capture position: " + text, e);
            }
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

    /**
     * The number of the last completed checksum pass and, when known, the instant before which every source commit
     * is covered: the differential capture's true place in the source's history (to the millisecond, rounded down).
     * A pass number alone says nothing about when its rows were read.
     */
    record DifferentialPass(long pass, Optional<Instant> coveredBefore) implements CapturePosition {
        public DifferentialPass {
            Objects.requireNonNull(coveredBefore, "coveredBefore");
            coveredBefore = coveredBefore.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
        }

        /** Always three fractional digits, so that a reader (the bench's SQL) parses one format. */
        private static final DateTimeFormatter MILLIS_UTC =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

        public DifferentialPass(long pass) {
            this(pass, Optional.empty());
        }

        @Override
        public String text() {
            return "pass:" + pass + coveredBefore.map(t -> "@" + MILLIS_UTC.format(t)).orElse("");
        }
    }
}

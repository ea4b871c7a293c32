package dev.hikkoshi.data.binlog;

import dev.hikkoshi.data.capture.CapturePosition;
import java.util.Comparator;

/**
 * Orders binlog coordinates: files by their numeric suffix ({@code mysql-bin.000010} after
 * {@code mysql-bin.000009}, and after {@code .999999} rolls over to {@code .1000000}), then by position.
 */
final class FileOrder {
    static final Comparator<CapturePosition.BinlogFile> ORDER = Comparator
            .comparingLong((CapturePosition.BinlogFile p) -> sequence(p.file()))
            .thenComparing(CapturePosition.BinlogFile::file)
            .thenComparingLong(CapturePosition.BinlogFile::position);

    private FileOrder() {
    }

    static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean atOrBefore(CapturePosition.BinlogFile a, CapturePosition.BinlogFile b) {
        return ORDER.compare(a, b) <= 0;
    }
}

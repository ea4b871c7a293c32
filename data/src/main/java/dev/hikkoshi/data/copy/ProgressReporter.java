package dev.hikkoshi.data.copy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a copy's progress per table, rows per second and ETA: on a terminal as a progress bar redrawn in
 * place on stderr, otherwise as one log line per unfinished table every interval. Run by {@link CopyJob}
 * on its scheduler.
 */
final class ProgressReporter {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final List<TableProgress> tables;
    private final PrintStream terminal;
    private final long intervalNanos;
    private long lastLogNanos = System.nanoTime();

    /** {@code terminal} is null when stdout is not a terminal. */
    ProgressReporter(List<TableProgress> tables, PrintStream terminal, Duration interval) {
        this.tables = List.copyOf(tables);
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
    }

    /** Called about once a second. */
    void tick() {
        if (terminal != null) {
            terminal.print("\r" + bar());
            terminal.flush();
            return;
        }
        long now = System.nanoTime();
        if (now - lastLogNanos >= intervalNanos) {
            lastLogNanos = now;
            for (TableProgress t : tables) {
                if (!t.done() && t.copiedNow() > 0) {
                    log.info(line(t));
                }
            }
        }
    }

    void finish() {
        if (terminal != null) {
            terminal.println("\r" + bar());
        }
    }

    /** {@code copied 12,000 of ~40,000 rows of orders (30%, 5,210 rows/s, ETA 5s)}. */
    static String line(TableProgress t) {
        long pct = t.estimate() == 0 ? 100 : t.copied() * 100 / t.estimate();
        return String.format(Locale.ROOT, "copied %,d of ~%,d rows of %s (%d%%, %,.0f rows/s, ETA %s)", t.copied(),
                t.estimate(), t.table(), pct, t.rowsPerSecond(), t.eta().map(ProgressReporter::format).orElse("?"));
    }

    private String bar() {
        long copied = tables.stream().mapToLong(TableProgress::copied).sum();
        long total = Math.max(1, tables.stream().mapToLong(TableProgress::estimate).sum());
        double rate = tables.stream().mapToDouble(TableProgress::rowsPerSecond).sum();
        int width = 30;
        int filled = (int) Math.min(width, copied * width / total);
        long doneTables = tables.stream().filter(TableProgress::done).count();
        String eta = rate <= 0 ? "?" : format(Duration.ofMillis((long) ((total - copied) / rate * 1000)));
        return String.format(Locale.ROOT, "[%s%s] %3d%% %,d rows, %d/%d tables, %,.0f rows/s, ETA %s   ",
                "#".repeat(filled), " ".repeat(width - filled), copied * 100 / total, copied, doneTables, tables.size(),
                rate, eta);
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}

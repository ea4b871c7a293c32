package dev.hikkoshi.data.differential;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells an operator when differential passes re-read the tenant's tables from the source's disk. A tenant's
 * rows are spread over its tables, so a pass touches nearly every page of them; when they do not fit in the
 * source's InnoDB buffer pool, every pass reads them again, and since the next pass reads the same pages again
 * more than {@code innodb_old_blocks_time} later, InnoDB keeps them at the expense of the application's working
 * set (docs/data.md, Differential sync). Nothing else shows it: the pass only gets slower.
 *
 * <p>The source's page reads are global (every session's), so a pass is charged only the reads beyond the
 * server's own rate between passes: {@code pages read during the pass - rate between passes * pass duration}.
 * A pass charged {@link #WARN_PAGES} or more (16 MB of 16 KB pages) is heavy; the first heavy pass is reported,
 * then at most one every {@link #WARN_EVERY}, so that a stream running for hours logs a reminder, not a flood.
 * The first pass has no rate between passes to set against it and is never charged: it follows a copy or a
 * restart, whose reads are not the pass's.
 */
final class PoolPressure {
    static final long WARN_PAGES = 1_000;
    static final Duration WARN_EVERY = Duration.ofMinutes(10);

    /** Where the previous pass ended, and the server's own rate of page reads (pages a second) last measured. */
    private DiskPageReads lastEnd;
    private double baselineRate = -1;
    private long lastWarnedNanos;
    private boolean warned;

    /**
     * Judges pass {@code pass}, which ran from {@code start} to {@code end}; returns the warning to log, if it is
     * heavy and one is due. {@code nowNanos} is {@link System#nanoTime} (a parameter for the tests).
     */
    synchronized Optional<String> afterPass(long pass, DiskPageReads start, DiskPageReads end, long nowNanos) {
        DiskPageReads previous = lastEnd;
        lastEnd = end;
        if (previous != null) {
            long gapMillis = Duration.between(previous.at(), start.at()).toMillis();
            if (gapMillis >= 50 && start.pages() >= previous.pages()) {
                baselineRate = (start.pages() - previous.pages()) * 1000.0 / gapMillis;
            }
        }
        if (baselineRate < 0 || end.pages() < start.pages()) {
            return Optional.empty();
        }
        long read = end.pages() - start.pages();
        double tookSeconds = Duration.between(start.at(), end.at()).toMillis() / 1000.0;
        long charged = Math.round(read - baselineRate * tookSeconds);
        if (charged < WARN_PAGES || warned && nowNanos - lastWarnedNanos < WARN_EVERY.toNanos()) {
            return Optional.empty();
        }
        warned = true;
        lastWarnedNanos = nowNanos;
        return Optional.of(String.format(Locale.ROOT, "differential pass %d read %,d pages from the source's disk"
                + " (%,d while it ran, against %,.0f a second between passes): the tenant's tables do not fit in"
                + " the source's InnoDB buffer pool, so every pass reads them again and can push the application's"
                + " pages out; watch Innodb_buffer_pool_reads on the source, and lengthen the source site's"
                + " differential pass-interval and minimum-pause, or use binlog or trigger capture (docs/data.md,"
                + " Differential sync)", pass, charged, read, baselineRate));
    }
}

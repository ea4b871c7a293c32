package dev.hikkoshi.data.differential;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What one differential pass found: the source rows it checksummed, the rows that differed (changed on both
 * sides, missing from the target, extra on the target) and how long the pass took. An operator watches
 * {@link #differing()} fall from pass to pass; the planner reads {@link #took()} to size the final pass.
 */
public record PassReport(long pass, long rowsCompared, int changed, int missing, int extra, Duration took) {
    public PassReport {
        Objects.requireNonNull(took, "took");
    }

    /** Rows delivered as {@code DIFFERS} in this pass. */
    public int differing() {
        return changed + missing + extra;
    }

    /** {@code pass 3: 12 rows differ (10 changed, 1 missing, 1 extra) of 40,000 compared in 1,204 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "pass %d: %,d row%s differ%s (%d changed, %d missing, %d extra) of %,d compared in %,d ms",
                pass, differing(), differing() == 1 ? "" : "s", differing() == 1 ? "s" : "", changed, missing, extra,
                rowsCompared, took.toMillis());
    }
}

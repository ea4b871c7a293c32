package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficWindow;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant's own 5xx rate and p99 on its old site, measured through {@link TrafficWindow} before it moves: the
 * reference the rollback line's {@code relative} multiple applies to. The step that starts a move measures it
 * with {@link #measure} and journals {@link #toNote()} under {@link dev.hikkoshi.cutover.move.NoteKeys#BASELINE};
 * the bake step reads it back with {@link #parseNote}.
 *
 * @param p99 empty when there was no request
 */
public record Baseline(long requests, long serverErrors, Optional<Duration> p99) {
    private static final Pattern NOTE = Pattern.compile("requests=(\\d+) server-errors=(\\d+) p99-us=(\\d+|-)");

    public Baseline {
        Objects.requireNonNull(p99, "p99");
        if (requests < 0 || serverErrors < 0 || serverErrors > requests) {
            throw new IllegalArgumentException("invalid baseline counts: requests=" + requests + " 5xx=" + serverErrors);
        }
        p99 = p99.map(d -> d.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The tenant's traffic on {@code oldSite} over the {@code length} ending now, merged across
     * {@code routers}; percentiles from merged buckets.
     */
    public static Baseline measure(List<? extends TrafficWindow> routers, TenantId tenant, SiteId oldSite,
                                   Duration length) {
        TrafficReading r = TrafficReading.read(routers, new TrafficKey(tenant.value(), oldSite), length);
        return new Baseline(r.requests(), r.serverErrors(), r.p99());
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) serverErrors / requests;
    }

    /**
     * Whether the baseline saw enough traffic to scale thresholds by: a baseline from a handful of requests
     * (one slow request making the p99) would lift the relative limit so far that no window could be bad.
     */
    public boolean usable(long minRequests) {
        return requests >= minRequests;
    }

    /** {@code requests=1200 server-errors=5 p99-us=182500}: the journaled form. */
    public String toNote() {
        return "requests=" + requests + " server-errors=" + serverErrors + " p99-us="
                + p99.map(d -> Long.toString(d.toNanos() / 1000)).orElse("-");
    }

    /** Reads {@link #toNote()}'s form; a note in any other form is a bug or a damaged journal. */
    public static Baseline parseNote(String note) {
        Matcher m = NOTE.matcher(note.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("baseline note not in the form 'requests=N server-errors=N p99-us=N|-': "
                    + note);
        }
        Optional<Duration> p99 = m.group(3).equals("-") ? Optional.empty()
                : Optional.of(Duration.of(Long.parseLong(m.group(3)), ChronoUnit.MICROS));
        return new Baseline(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), p99);
    }

    /** {@code 1200 requests, 5xx 0.42%, p99 182 ms}. */
    public String describe() {
        return requests + " requests, 5xx " + TrafficReading.percent(errorRate()) + ", p99 "
                + p99.map(TrafficReading::millis).orElse("-");
    }
}

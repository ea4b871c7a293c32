package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.move.MoveEvent.Judgement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges one evaluation window of a tenant on its new site against the rollback line: bad when the 5xx rate or
 * the p99 exceeds max(absolute threshold, {@code relative} times the tenant's baseline on its old site);
 * inconclusive when fewer than {@code min-requests} requests were seen or a router could not be read (never
 * healthy: too little traffic proves nothing). Used by {@link BakeStep}; stateless.
 */
public final class WindowJudge {
    private final RollbackLineConfig line;

    public WindowJudge(RollbackLineConfig line) {
        this.line = Objects.requireNonNull(line, "line");
    }

    /** A window's judgement and the line explaining it (journaled in the verdict, shown by {@code status}). */
    public record Judged(Judgement judgement, String detail) {
        public Judged {
            Objects.requireNonNull(judgement, "judgement");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * @param baseline the tenant's baseline, if one was measured; a baseline with fewer than {@code min-requests}
     *                 requests is not used (the absolute thresholds alone apply)
     */
    public Judged judge(TrafficReading window, Optional<Baseline> baseline) {
        if (!window.unanswered().isEmpty()) {
            return new Judged(Judgement.INCONCLUSIVE, "not every router answered (" + String.join("; ",
                    window.unanswered()) + "): inconclusive");
        }
        if (window.requests() < line.minRequests()) {
            return new Judged(Judgement.INCONCLUSIVE, requests(window.requests()) + ", fewer than min-requests "
                    + line.minRequests() + ": inconclusive");
        }
        Optional<Baseline> usable = baseline.filter(b -> b.usable(line.minRequests()));
        double errorLimit = line.errorRate();
        boolean errorLimitRelative = false;
        if (usable.isPresent() && usable.get().errorRate() * line.relative() > errorLimit) {
            errorLimit = usable.get().errorRate() * line.relative();
            errorLimitRelative = true;
        }
        Duration p99Limit = line.p99();
        boolean p99LimitRelative = false;
        Optional<Duration> baselineP99 = usable.flatMap(Baseline::p99);
        if (baselineP99.isPresent()) {
            Duration scaled = Duration.ofNanos(Math.round(baselineP99.get().toNanos() * line.relative()));
            if (scaled.compareTo(p99Limit) > 0) {
                p99Limit = scaled;
                p99LimitRelative = true;
            }
        }
        boolean errorsBad = window.errorRate() > errorLimit;
        Duration limit = p99Limit;
        boolean latencyBad = window.p99().map(p -> p.compareTo(limit) > 0).orElse(false);
        String relative = ", " + multiple(line.relative()) + " baseline";
        String detail = requests(window.requests()) + ", 5xx " + TrafficReading.percent(window.errorRate()) + " (limit "
                + TrafficReading.percent(errorLimit) + (errorLimitRelative ? relative : "") + "), p99 "
                + window.p99().map(TrafficReading::millis).orElse("-") + " (limit " + TrafficReading.millis(p99Limit)
                + (p99LimitRelative ? relative : "") + ")";
        if (errorsBad && latencyBad) {
            return new Judged(Judgement.BAD, detail + ": bad: 5xx and p99 over their limits");
        }
        if (errorsBad) {
            return new Judged(Judgement.BAD, detail + ": bad: 5xx over its limit");
        }
        if (latencyBad) {
            return new Judged(Judgement.BAD, detail + ": bad: p99 over its limit");
        }
        return new Judged(Judgement.HEALTHY, detail + ": healthy");
    }

    private static String requests(long n) {
        return n == 1 ? "1 request" : n + " requests";
    }

    /** {@code 2x}, {@code 1.5x}. */
    static String multiple(double x) {
        return x == Math.rint(x) ? (long) x + "x" : x + "x";
    }
}

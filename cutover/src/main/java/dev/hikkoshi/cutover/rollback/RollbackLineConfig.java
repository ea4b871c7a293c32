package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.config.DurationText;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rollback line ({@code plan.rollback-line}), fixed before a move: the absolute thresholds, the multiple of
 * the tenant's own baseline, the evaluation window, the least traffic that makes a window conclusive, the bake
 * time and what happens after too many inconclusive windows. Bound by the plan's config binder with
 * {@link #bind}; read by {@link WindowJudge} and {@link BakeEvaluator}.
 *
 * @param errorRate      the absolute 5xx rate (0..1) a window may reach; above it (and above the baseline
 *                       multiple) the window is bad
 * @param relative       the multiple of the tenant's baseline (5xx rate and p99 on its old site) a window may reach
 * @param p99            the absolute p99 latency a window may reach
 * @param window         the length of one evaluation window
 * @param minRequests    a window with fewer requests is inconclusive (never healthy)
 * @param bake           how long the tenant must bake in healthy windows before its move is DONE
 * @param maxExtensions  how many inconclusive windows may extend the bake before {@code then} applies
 * @param then           what happens after {@code maxExtensions} inconclusive windows
 */
public record RollbackLineConfig(double errorRate, double relative, Duration p99, Duration window, long minRequests,
                                 Duration bake, int maxExtensions, InconclusiveAction then) {
    public static final double DEFAULT_RELATIVE = 2.0;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final long DEFAULT_MIN_REQUESTS = 50;
    public static final Duration DEFAULT_BAKE = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_EXTENSIONS = 3;
    static final String PERCENT = "a percentage above 0% and at most 100%, such as 2% or 0.5%";
    static final String MULTIPLE = "a multiple of at least 1x, such as 2x or 1.5x";
    private static final Pattern PERCENT_SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final Pattern MULTIPLE_SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*x");

    /** What a move does when its bake stays inconclusive past {@code max-extensions}. */
    public enum InconclusiveAction {
        /** The move waits in BAKING for {@code hikkoshi approve WAVE}; the rest of the plan goes on. */
        WAIT_FOR_APPROVAL,
        /** The move goes to FAILED: a human must look. */
        FAIL
    }

    public RollbackLineConfig {
        if (!(errorRate > 0 && errorRate <= 1) || !(relative >= 1) || p99.isNegative() || p99.isZero()
                || window.isNegative() || window.isZero() || bake.compareTo(window) < 0 || minRequests < 1
                || maxExtensions < 0) {
            throw new IllegalArgumentException("invalid rollback line: error-rate=" + errorRate + " relative="
                    + relative + " p99=" + p99 + " window=" + window + " min-requests=" + minRequests + " bake="
                    + bake + " max-extensions=" + maxExtensions);
        }
        Objects.requireNonNull(then, "then");
    }

    /**
     * Binds {@code plan.rollback-line}; every problem goes to the node's shared problem list as
     * {@code path: value (expected: ...)}, and empty is returned when there was any. {@code error-rate} and
     * {@code p99} are required (a rollback line must be decided, not defaulted); the rest have defaults.
     */
    public static Optional<RollbackLineConfig> bind(ConfigNode node) {
        if (!node.require("a rollback line such as { error-rate: 2%, relative: 2x, p99: 800ms, window: 1m, "
                + "min-requests: 50, bake: 10m }")) {
            return Optional.empty();
        }
        if (!node.isMap()) {
            node.problem("a map with error-rate, relative, p99, window, min-requests, bake and inconclusive");
            return Optional.empty();
        }
        int before = node.problems().list().size();
        node.allowOnly("error-rate", "relative", "p99", "window", "min-requests", "bake", "inconclusive");
        ConfigNode errorNode = node.get("error-rate");
        double errorRate = errorNode.require(PERCENT) ? percent(errorNode).orElse(0.02) : 0.02;
        double relative = multiple(node.get("relative")).orElse(DEFAULT_RELATIVE);
        ConfigNode p99Node = node.get("p99");
        Duration p99 = p99Node.require(DurationText.FORMAT + ", at least 1ms")
                ? p99Node.duration(Duration.ofMillis(800), Duration.ofMillis(1)) : Duration.ofMillis(800);
        Duration window = node.get("window").duration(DEFAULT_WINDOW, Duration.ofSeconds(1));
        long minRequests = node.get("min-requests").integer(DEFAULT_MIN_REQUESTS, 1, 1_000_000_000);
        ConfigNode bakeNode = node.get("bake");
        Duration bake = bakeNode.duration(DEFAULT_BAKE, Duration.ofSeconds(1));
        if (bake.compareTo(window) < 0) {
            bakeNode.problem(bakeNode.isPresent() ? bakeNode.display() : DurationText.format(bake),
                    "at least the window, " + DurationText.format(window));
        }
        ConfigNode inconclusive = node.get("inconclusive");
        inconclusive.allowOnly("max-extensions", "then");
        if (inconclusive.isPresent() && !inconclusive.isMap()) {
            inconclusive.problem("a map such as { max-extensions: 3, then: wait-for-approval }");
        }
        int maxExtensions = (int) inconclusive.get("max-extensions").integer(DEFAULT_MAX_EXTENSIONS, 0, 1000);
        InconclusiveAction then = inconclusive.get("then").choice(InconclusiveAction.class,
                InconclusiveAction.WAIT_FOR_APPROVAL);
        if (node.problems().list().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new RollbackLineConfig(errorRate, relative, p99, window, minRequests, bake, maxExtensions,
                then));
    }

    /** How many healthy windows make the bake: the bake time in whole windows, rounded up. */
    public int healthyWindowsNeeded() {
        return (int) Math.max(1, (bake.toMillis() + window.toMillis() - 1) / window.toMillis());
    }

    private static Optional<Double> percent(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = PERCENT_SYNTAX.matcher(text.get().trim());
        if (m.matches()) {
            double p = Double.parseDouble(m.group(1));
            if (p > 0 && p <= 100) {
                return Optional.of(p / 100);
            }
        }
        node.problem(PERCENT);
        return Optional.empty();
    }

    private static Optional<Double> multiple(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = MULTIPLE_SYNTAX.matcher(text.get().trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double x = Double.parseDouble(m.group(1));
            if (x >= 1) {
                return Optional.of(x);
            }
        }
        node.problem(MULTIPLE);
        return Optional.empty();
    }
}

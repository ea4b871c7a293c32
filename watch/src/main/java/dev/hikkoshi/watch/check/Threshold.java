package dev.hikkoshi.watch.check;

import java.util.Optional;

/**
 * An upper bound pair given as plugin options ({@code --warning-error-rate 2 --critical-error-rate 5}): a value
 * above {@code critical} is CRITICAL, above {@code warning} is WARNING. Either may be absent.
 */
public record Threshold(Optional<Double> warning, Optional<Double> critical) {
    public static final Threshold NONE = new Threshold(Optional.empty(), Optional.empty());

    public Threshold {
        if (warning.isPresent() && critical.isPresent() && warning.get() > critical.get()) {
            throw new IllegalArgumentException("warning threshold " + PerfData.number(warning.get())
                    + " is above the critical threshold " + PerfData.number(critical.get()));
        }
    }

    public CheckStatus judge(double value) {
        if (critical.isPresent() && value > critical.get()) {
            return CheckStatus.CRITICAL;
        }
        if (warning.isPresent() && value > warning.get()) {
            return CheckStatus.WARNING;
        }
        return CheckStatus.OK;
    }
}

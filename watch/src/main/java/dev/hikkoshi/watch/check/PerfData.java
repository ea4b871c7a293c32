package dev.hikkoshi.watch.check;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One performance value in plugin syntax, {@code 'label'=value[UOM];[warn];[crit];[min];[max]}
 * (https://nagios-plugins.org/doc/guidelines.html#AEN200). Labels here never need quoting.
 */
public record PerfData(String label, double value, String unit, Optional<Double> warn, Optional<Double> crit,
                       Optional<Double> min, Optional<Double> max) {
    public static PerfData of(String label, double value, String unit) {
        return new PerfData(label, value, unit, Optional.empty(), Optional.empty(), Optional.of(0.0), Optional.empty());
    }

    public PerfData thresholds(Threshold t) {
        return new PerfData(label, value, unit, t.warning(), t.critical(), min, max);
    }

    public PerfData max(double m) {
        return new PerfData(label, value, unit, warn, crit, min, Optional.of(m));
    }

    @Override
    public String toString() {
        return label + "=" + number(value) + unit + ";" + warn.map(PerfData::number).orElse("") + ";"
                + crit.map(PerfData::number).orElse("") + ";" + min.map(PerfData::number).orElse("") + ";"
                + max.map(PerfData::number).orElse("");
    }

    static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}

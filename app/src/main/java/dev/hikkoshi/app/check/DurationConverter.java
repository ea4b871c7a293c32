package dev.hikkoshi.app.check;

import dev.hikkoshi.core.config.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 30s}, {@code 1m} options the way config files write durations. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = DurationText.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "'" + value + "' is not " + DurationText.FORMAT));
        if (d.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be more than 0");
        }
        return d;
    }
}

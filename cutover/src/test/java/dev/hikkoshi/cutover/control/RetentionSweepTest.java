package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionSweepTest {
    static Optional<Duration> bind(String yaml) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("hikkoshi.yaml"), yaml, Map.of());
        Optional<Duration> retention = RetentionSweep.bind(doc.root().get("plan"));
        doc.throwIfProblems();
        return retention;
    }

    @Test
    void retention_isOptional_andReadInDays() {
        assertThat(bind("plan: { waves: [] }\n")).isEmpty();
        assertThat(bind("plan: { retention: 7d }\n")).contains(Duration.ofDays(7));
    }

    @Test
    void aRetentionUnderASecond_orNotADuration_isAProblemOfTheConfig() {
        assertThatThrownBy(() -> bind("plan: { retention: 500ms }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.retention: 500ms (expected: a duration such as 500ms, 10s, 1m or 2h, at "
                        + "least 1s)");
        assertThatThrownBy(() -> bind("plan: { retention: a week }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.retention: a week (expected: ");
    }

    @Test
    void checkEvery_isATenthOfTheRetention_within100msAndAMinute() {
        InMemoryController c = new InMemoryController(Clock.systemUTC());
        assertThat(new RetentionSweep(c, Duration.ofDays(7), Clock.systemUTC()).checkEvery())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(new RetentionSweep(c, Duration.ofSeconds(5), Clock.systemUTC()).checkEvery())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(new RetentionSweep(c, Duration.ofSeconds(1), Clock.systemUTC()).checkEvery())
                .isEqualTo(Duration.ofMillis(100));
    }
}

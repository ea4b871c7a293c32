package dev.hikkoshi.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void parse_readsEveryUnit_daysIncluded() {
        assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationText.parse("10s")).contains(Duration.ofSeconds(10));
        assertThat(DurationText.parse("1m")).contains(Duration.ofMinutes(1));
        assertThat(DurationText.parse("2h")).contains(Duration.ofHours(2));
        assertThat(DurationText.parse("7d")).contains(Duration.ofDays(7));
    }

    @Test
    void parse_refusesWhatIsNotADuration() {
        assertThat(DurationText.parse("7 days")).isEqualTo(Optional.empty());
        assertThat(DurationText.parse("1w")).isEmpty();
        assertThat(DurationText.parse("-1s")).isEmpty();
    }
}

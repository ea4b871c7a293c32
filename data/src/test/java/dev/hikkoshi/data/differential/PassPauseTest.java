package dev.hikkoshi.data.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pause between differential passes: short right after changes, growing to the interval while the tenant rests. */
class PassPauseTest {
    private static final DifferentialCapture.Options DEFAULTS = DifferentialCapture.Options.defaults();

    @Test
    void thePause_isATenthOfTheTimeAtRest() {
        assertThat(DEFAULTS.pauseAfter(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(300));
        assertThat(DEFAULTS.pauseAfter(Duration.ofMillis(6_500))).isEqualTo(Duration.ofMillis(650));
    }

    @Test
    void aTenantAtRestForTenIntervals_isComparedOncePerInterval() {
        assertThat(DEFAULTS.pauseAfter(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.pauseAfter(Duration.ofHours(5))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rightAfterChanges_thePauseIsTheMinimum() {
        assertThat(DEFAULTS.pauseAfter(Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(DEFAULTS.pauseAfter(Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anIntervalAlone_isAFixedPause() {
        DifferentialCapture.Options fixed = new DifferentialCapture.Options(Duration.ofMillis(20));

        assertThat(fixed.pauseAfter(Duration.ZERO)).isEqualTo(Duration.ofMillis(20));
        assertThat(fixed.pauseAfter(Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aMinimumBeyondTheInterval_isRefused() {
        assertThatThrownBy(() -> new DifferentialCapture.Options(Duration.ofMillis(100), Duration.ofMillis(200)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minimumPause PT0.2S is longer than passInterval PT0.1S");
    }
}

package dev.hikkoshi.router.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SitePoolTest {
    @Test
    void ejectionTime_doublesPerRepeatedEjection_upToTheMaximum() {
        EjectionSettings e = new EjectionSettings(2, 5, Duration.ofSeconds(10), Duration.ofMinutes(5), 50);
        assertThat(SitePool.ejectionTime(e, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(SitePool.ejectionTime(e, 1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(SitePool.ejectionTime(e, 4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(SitePool.ejectionTime(e, 5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(SitePool.ejectionTime(e, 1_000_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void ejectionCap_isTheShareRoundedDown() {
        EjectionSettings half = new EjectionSettings(2, 5, Duration.ofSeconds(10), Duration.ofMinutes(5), 50);
        assertThat(half.cap(1)).isZero();
        assertThat(half.cap(2)).isEqualTo(1);
        assertThat(half.cap(5)).isEqualTo(2);
        assertThat(new EjectionSettings(2, 5, Duration.ofSeconds(1), Duration.ofSeconds(1), 100).cap(3)).isEqualTo(3);
    }

    @Test
    void settings_refuseValuesThatCannotWork() {
        assertThatThrownBy(() -> new HealthCheckSettings("healthz", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1))
                .hasMessage("health check path must start with '/', was healthz");
        assertThatThrownBy(() -> new EjectionSettings(1, 1, Duration.ofSeconds(10), Duration.ofSeconds(5), 50))
                .hasMessage("ejection times must be positive with max >= base, were base=PT10S max=PT5S");
    }
}

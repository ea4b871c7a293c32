package dev.hikkoshi.watch.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalsSectionTest {
    private static SignalsSection.Bound bind(String yaml) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("t.yaml"), "signals: " + yaml + "\n", Map.of());
        SignalsSection.Bound b = SignalsSection.bind(doc.root().get("signals"));
        doc.throwIfProblems();
        return b;
    }

    @Test
    void keys_areRead_andAbsentOnesDefault() {
        SignalsSection.Bound b = bind("{ lag-warning: 2s, lag-critical: 9s, error-rate: 2.5%, interval: 1s }");

        assertThat(b.settings()).isEqualTo(new SignalSettings(Duration.ofSeconds(2), Duration.ofSeconds(9),
                Duration.ofMinutes(30), 2.5, 20, Duration.ofSeconds(1), 50));
        assertThat(b.interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void mistakes_areReportedTogether() {
        assertThatThrownBy(() -> bind("{ lag-warning: 90s, error-rate: 150%, colour: red }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("signals.lag-warning: 90s (expected: at most lag-critical (60s))")
                .hasMessageContaining("signals.error-rate: 150% (expected: a percentage above 0 and at most 100, such as 5%)")
                .hasMessageContaining("signals.colour");
    }
}

package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.data.config.CaptureMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoveSettingsTest {
    private static MoveSettings bind(String yaml) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("move.yaml"), yaml, Map.of());
        MoveSettings settings = MoveSettings.bind(doc.root());
        doc.throwIfProblems();
        return settings;
    }

    @Test
    void freezeMax_isReadFromThePlan_andDrainsGetHalfOfIt() {
        MoveSettings s = bind("plan:\n  freeze: { max: 8s }\n");
        assertThat(s.freezeMax()).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void noPlanSection_meansFiveSeconds() {
        assertThat(bind("environment: test\n").freezeMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void freezeMaxThatIsNotADuration_isAConfigProblemNamingThePath() {
        assertThatThrownBy(() -> bind("plan:\n  freeze: { max: soon }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.freeze.max: soon");
    }

    @Test
    void finalSyncOverhead_isABinlogDrainsHalfSecond_orAHeartbeatDrainsTwoAndAHalf() {
        MoveSettings s = bind("plan:\n  freeze: { max: 1s }\n");
        assertThat(s.finalSyncOverhead(CaptureMode.BINLOG)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.finalSyncOverhead(CaptureMode.TRIGGERS)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(s.finalSyncOverhead(CaptureMode.DIFFERENTIAL)).isEqualTo(Duration.ofMillis(2_500));
    }
}

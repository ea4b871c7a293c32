package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackLineConfigTest {
    private record Bound(Optional<RollbackLineConfig> config, List<String> problems) {
    }

    private static Bound bind(String rollbackLine) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), "plan:\n  rollback-line: " + rollbackLine + "\n",
                Map.of());
        Optional<RollbackLineConfig> config = RollbackLineConfig.bind(doc.root().get("plan").get("rollback-line"));
        return new Bound(config, doc.problems().list().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void bind_theDesignExample_readsEveryKey() {
        Bound b = bind("{ error-rate: 2%, relative: 2x, p99: 800ms, window: 1m, min-requests: 50, bake: 10m, "
                + "inconclusive: { max-extensions: 3, then: wait-for-approval } }");
        assertThat(b.problems()).isEmpty();
        assertThat(b.config()).contains(new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(800), Duration.ofMinutes(1),
                50, Duration.ofMinutes(10), 3, InconclusiveAction.WAIT_FOR_APPROVAL));
        assertThat(b.config().orElseThrow().healthyWindowsNeeded()).isEqualTo(10);
    }

    @Test
    void bind_onlyTheThresholds_takesDefaultsForTheRest() {
        Bound b = bind("{ error-rate: 0.5%, p99: 2s, inconclusive: { then: fail } }");
        assertThat(b.problems()).isEmpty();
        assertThat(b.config()).contains(new RollbackLineConfig(0.005, 2.0, Duration.ofSeconds(2), Duration.ofMinutes(1),
                50, Duration.ofMinutes(10), 3, InconclusiveAction.FAIL));
    }

    @Test
    void bind_badValues_reportsEachExactly() {
        Bound b = bind("{ error-rate: 2, relative: 0.5x, p99: fast, window: 500ms, min-requests: 0, bake: 10s, "
                + "inconclusive: { max-extensions: -1, then: shrug }, typo: 1 }");
        assertThat(b.config()).isEmpty();
        assertThat(b.problems()).containsExactly(
                "plan.rollback-line.typo: unknown key (expected: one of error-rate, relative, p99, window, min-requests, "
                        + "bake, inconclusive)",
                "plan.rollback-line.error-rate: 2 (expected: a percentage above 0% and at most 100%, such as 2% or 0.5%)",
                "plan.rollback-line.relative: 0.5x (expected: a multiple of at least 1x, such as 2x or 1.5x)",
                "plan.rollback-line.p99: fast (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)",
                "plan.rollback-line.window: 500ms (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1s)",
                "plan.rollback-line.min-requests: 0 (expected: an integer from 1 to 1000000000)",
                "plan.rollback-line.bake: 10s (expected: at least the window, 1m)",
                "plan.rollback-line.inconclusive.max-extensions: -1 (expected: an integer from 0 to 1000)",
                "plan.rollback-line.inconclusive.then: shrug (expected: one of wait-for-approval, fail)");
    }

    @Test
    void bind_missingThresholds_areRequired() {
        Bound b = bind("{ window: 1m }");
        assertThat(b.config()).isEmpty();
        assertThat(b.problems()).containsExactly(
                "plan.rollback-line.error-rate: (missing) (expected: a percentage above 0% and at most 100%, such as 2% "
                        + "or 0.5%)",
                "plan.rollback-line.p99: (missing) (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)");
    }

    @Test
    void bind_missingSection_saysWhatALineLooksLike() {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), "plan: { parallel-moves: 2 }\n", Map.of());
        assertThat(RollbackLineConfig.bind(doc.root().get("plan").get("rollback-line"))).isEmpty();
        assertThat(doc.problems().list()).map(ConfigProblem::toString).containsExactly(
                "plan.rollback-line: (missing) (expected: a rollback line such as { error-rate: 2%, relative: 2x, "
                        + "p99: 800ms, window: 1m, min-requests: 50, bake: 10m })");
    }
}

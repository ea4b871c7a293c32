package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HoldMarginCheckTest {
    private static List<String> check(String yaml) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), yaml, Map.of());
        PlanSection plan = PlanSection.bind(doc.root());
        HoldMarginCheck.check(doc.root(), plan.move().freezeMax());
        return doc.problems().list().stream().map(ConfigProblem::toString)
                .filter(p -> p.startsWith("router.") || p.startsWith("plan.freeze")).toList();
    }

    @Test
    void margin_isHalfTheFreezeBudgetAtLeastTwoSeconds() {
        assertThat(HoldMarginCheck.margin(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HoldMarginCheck.margin(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void check_holdBelowFreezePlusMargin_namesWhatItMustBe() {
        assertThat(check("router: { freeze: { max-hold: 14s } }\nplan: { freeze: { max: 10s } }\n")).containsExactly(
                "router.freeze.max-hold: 14s (expected: at least 15s: plan.freeze.max (10s) plus a margin of 5s, so"
                        + " routers never give up a request the freeze still holds)");
    }

    @Test
    void check_holdExactlyFreezePlusMargin_passes() {
        assertThat(check("router: { freeze: { max-hold: 15s } }\nplan: { freeze: { max: 10s } }\n")).isEmpty();
    }

    @Test
    void check_defaults_passWithoutEitherKey() {
        // 10s of hold against 5s of freeze and 2.5s of margin
        assertThat(check("plan: {}\n")).isEmpty();
    }

    @Test
    void check_malformedValue_isOneLineWithoutAnotherAboutTheLimit() {
        assertThat(check("router: { freeze: { max-hold: 6s } }\nplan: { freeze: { max: soon } }\n")).containsExactly(
                "plan.freeze.max: soon (expected: a duration such as 500ms, 10s, 1m or 2h, at least 100ms)");
        assertThat(check("router: { freeze: { max-hold: never } }\nplan: { freeze: { max: 5s } }\n")).containsExactly(
                "router.freeze.max-hold: never (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)");
    }

    @Test
    void planSection_unknownKey_namesEveryKeyOfPlan() {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), """
                plan: { waves: [ { name: all, tenants: "*" } ], rollback-line: { error-rate: 2%, p99: 1s },
                        start: tomorrow, freeze: { max: 5s, min: 1s } }
                """, Map.of());
        PlanSection.bind(doc.root());

        assertThat(doc.problems().list()).extracting(ConfigProblem::toString).containsExactly(
                "plan.start: unknown key (expected: one of parallel-moves, waves, freeze, rollback-line, hooks,"
                        + " start-window, after-rollback, retention)",
                "plan.freeze.min: unknown key (expected: one of max)");
    }
}

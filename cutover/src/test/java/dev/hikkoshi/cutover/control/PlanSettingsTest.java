package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanSettingsTest {
    private static final Path FILE = Path.of("plan.yaml");

    private static ConfigDocument doc(String yaml) {
        return ConfigDocument.parse(FILE, yaml, Map.of());
    }

    private static PlanSettings bind(String yaml) {
        ConfigDocument d = doc(yaml);
        PlanSettings s = PlanSettings.bind(d.root().get("plan"));
        d.throwIfProblems();
        return s;
    }

    private static List<String> problems(String yaml) {
        ConfigDocument d = doc(yaml);
        PlanSettings.bind(d.root().get("plan"));
        return d.problems().list().stream().map(ConfigProblem::toString).toList();
    }

    /** t01 ... tN, given to the directory in a shuffled order: it orders them by name itself. */
    private static ListedTenants tenants(int n) {
        List<Tenant> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new Tenant(TenantId.of(String.format("t%02d", i)), Integer.toString(i)));
        }
        Collections.shuffle(list, new java.util.Random(7));
        return new ListedTenants(list);
    }

    private static List<String> names(PlanSettings.Wave w) {
        return w.tenants().stream().map(TenantId::value).toList();
    }

    @Test
    void waves_namedFirst_thenPercentRoundedUp_ofWhatRemains_inDirectoryOrder_thenTheRest() {
        PlanSettings s = bind("""
                plan:
                  parallel-moves: 3
                  waves: [ { name: pilot, tenants: [t05, t02] }, { name: half, tenants: "50%" },
                           { name: rest, tenants: "*" } ]
                """);
        assertThat(s.parallelMoves()).isEqualTo(3);
        List<PlanSettings.Wave> waves = s.resolve(tenants(9), FILE);
        assertThat(waves).extracting(PlanSettings.Wave::name).containsExactly("pilot", "half", "rest");
        assertThat(names(waves.get(0))).containsExactly("t05", "t02");
        // 7 remain: 50% of 7 is 3.5, rounded up to 4.
        assertThat(names(waves.get(1))).containsExactly("t01", "t03", "t04", "t06");
        assertThat(names(waves.get(2))).containsExactly("t07", "t08", "t09");
        assertThat(s.resolve(tenants(9), FILE)).isEqualTo(waves);
    }

    @Test
    void percent_excludesTenantsNamedByALaterWave_andNeverRoundsANonEmptyRemainderToNothing() {
        PlanSettings s = bind("""
                plan:
                  waves: [ { name: one, tenants: "1%" }, { name: third, tenants: "34%" }, { name: last, tenants: [t01] } ]
                """);
        List<PlanSettings.Wave> waves = s.resolve(tenants(4), FILE);
        assertThat(s.parallelMoves()).isEqualTo(1);
        assertThat(names(waves.get(0))).containsExactly("t02");
        assertThat(names(waves.get(1))).containsExactly("t03"); // 34% of 2 = 0.68 -> 1
        assertThat(names(waves.get(2))).containsExactly("t01");
    }

    @Test
    void unknownTenantName_isAConfigProblemNamingItsPath() {
        PlanSettings s = bind("""
                plan:
                  waves: [ { name: pilot, tenants: [t01, acmee] }, { name: rest, tenants: "*" } ]
                """);
        assertThatThrownBy(() -> s.resolve(tenants(3), FILE)).isInstanceOf(ConfigException.class)
                .hasMessage("config plan.yaml has 1 problem:\n  plan.waves[0].tenants[1]: acmee (expected: a tenant "
                        + "of the tenant directory (tenants.list or tenants.from-table))");
    }

    @Test
    void badValues_areReported_allAtOnce_asPathValueExpected() {
        assertThat(problems("""
                plan:
                  parallel-moves: 0
                  waves:
                    - { name: pilot, tenants: "150%" }
                    - { name: pilot, tenants: [acme, acme] }
                    - { tenants: "*" }
                    - { name: late, tenants: "some", size: 3 }
                """)).containsExactly(
                "plan.parallel-moves: 0 (expected: an integer from 1 to 64)",
                "plan.waves[0].tenants: 150% (expected: a list of tenant names, \"N%\" (1 to 100) or \"*\")",
                "plan.waves[1].name: pilot (expected: a name not used by another wave)",
                "plan.waves[1].tenants[1]: acme (expected: a tenant not named by another wave)",
                "plan.waves[2].name: (missing) (expected: a wave name such as pilot)",
                "plan.waves[3].size: unknown key (expected: one of name, tenants, gate)",
                "plan.waves[3]: {\"name\":\"late\",\"tenants\":\"some\",\"size\":3} (expected: no wave after a wave of "
                        + "\"*\", which takes every remaining tenant)",
                "plan.waves[3].tenants: some (expected: a list of tenant names, \"N%\" (1 to 100) or \"*\")");
        assertThat(problems("plan: { parallel-moves: 2 }\n"))
                .containsExactly("plan.waves: (missing) (expected: a list of waves such as [{name: pilot, tenants: "
                        + "[acme]}, {name: rest, tenants: \"*\"}])");
        assertThat(problems("plan: { waves: [] }\n")).containsExactly("plan.waves: [] (expected: at least one wave)");
    }

    @Test
    void gate_defaultsToAuto_approvalIsKept_andABadSpellingIsAProblem() {
        PlanSettings s = bind("""
                plan:
                  waves: [ { name: pilot, tenants: [t01], gate: approval }, { name: rest, tenants: "*" } ]
                """);
        List<PlanSettings.Wave> waves = s.resolve(tenants(3), FILE);
        assertThat(waves).extracting(PlanSettings.Wave::gate)
                .containsExactly(dev.hikkoshi.cutover.plan.Gate.APPROVAL, dev.hikkoshi.cutover.plan.Gate.AUTO);
        assertThat(problems("""
                plan:
                  waves: [ { name: pilot, tenants: [t01], gate: manual } ]
                """)).containsExactly("plan.waves[0].gate: manual (expected: one of auto, approval)");
    }
}

package dev.hikkoshi.app.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.app.cli.data.DataCommandIT.Run;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.cutover.control.AuditLog;
import dev.hikkoshi.cutover.control.ControllerAdminServer;
import dev.hikkoshi.cutover.control.ControllerJson;
import dev.hikkoshi.cutover.control.InMemoryController;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operating commands ({@code status}, {@code apply}, {@code pause}, {@code resume}, {@code rollback},
 * {@code finalize}, {@code approve}) run in process against a controller admin API on loopback.
 */
@Timeout(60)
class OperatingCommandsIT {
    static final String ALICE = "alice-s3cret-0123456789";

    @TempDir
    Path dir;
    InMemoryController controller;
    ControllerAdminServer server;
    String config;

    @BeforeEach
    void start() throws IOException {
        controller = InMemoryController.withSamplePlan(Clock.systemUTC());
        server = ControllerAdminServer.start(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                        AdminTokens.of(Map.of("ops-alice", ALICE))), controller, Optional.of(controller),
                dir.resolve("state"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        config = config(server.address().getPort());
        ControllerOptions.environment = Map.of("TOKEN_ALICE", ALICE);
    }

    @AfterEach
    void stop() {
        server.close();
        ControllerOptions.environment = System.getenv();
    }

    String config(int port) throws IOException {
        Path file = dir.resolve("hikkoshi-" + port + ".yaml");
        Files.writeString(file, """
                controller:
                  admin: { listen: 127.0.0.1:%d, tokens: { ops-alice: { env: TOKEN_ALICE }, ops-bob: { env: TOKEN_BOB } } }
                """.formatted(port));
        return file.toString();
    }

    List<String> audit() throws IOException {
        return Files.readAllLines(dir.resolve("state").resolve(AuditLog.FILE_NAME));
    }

    @Test
    void status_printsATableOfEveryMove() {
        Run run = DataCommandIT.run("status", "-c", config);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("plan: running");
        assertThat(lines.get(1)).matches("TENANT +WAVE +STATE +AGE +SITES +FREEZE +LAST VERDICT +PROBLEM +A ROLLBACK WOULD LOSE");
        assertThat(lines.get(2)).matches("acme +pilot +BAKING +1m3[56]s +legacy -> cloud +812 ms +window 3: p99 412 ms "
                + "<= 800 ms, 5xx 0.1% <= 2%: healthy +- +-");
        assertThat(lines.get(5)).matches("umbrella +half +PLANNED +3[01]s +legacy -> cloud +- +- +waiting for wave half +-");
        assertThat(lines.get(2).indexOf("BAKING")).isEqualTo(lines.get(1).indexOf("STATE"));
    }

    @Test
    void status_json_printsTheControllersStatusDocument() {
        Run run = DataCommandIT.run("status", "-c", config, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(ControllerJson.write(ControllerJson.status(controller.status())) + "\n");
    }

    @Test
    void status_ofAPausedPlan_saysWhy() {
        DataCommandIT.run("pause", "-c", config, "--reason", "schema change");

        Run run = DataCommandIT.run("status", "-c", config);

        assertThat(run.out().lines().findFirst()).contains("plan: PAUSED (schema change)");
    }

    @Test
    void rollback_ofABakingTenant_startsIt_andIsAuditedUnderTheTokensName() throws IOException {
        Run run = DataCommandIT.run("rollback", "acme", "-c", config);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("rollback of acme started (hikkoshi status -c " + config
                + " shows its progress)\n");
        assertThat(controller.state("acme")).isEqualTo(MoveState.ROLLBACK_FROZEN);
        assertThat(audit()).singleElement().asString()
                .contains("\"who\":\"ops-alice\",\"what\":\"rollback\",\"subject\":\"acme\",\"outcome\":\"ok\"");
    }

    @Test
    void rollback_ofAFinalizedTenant_printsTheControllersErrorAndHint_andExits2() throws IOException {
        Run run = DataCommandIT.run("rollback", "initech", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).matches("error: rollback refused: initech was finalized at [0-9T:.-]+Z\n"
                + "hint: its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                + "back to legacy with a new plan\n");
        assertThat(audit()).singleElement().asString().contains("\"outcome\":\"refused\"");
    }

    @Test
    void rollback_ofATenantNotInThePlan_saysSo() {
        Run run = DataCommandIT.run("rollback", "zeta", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: no move of tenant zeta in the plan\n"
                + "hint: hikkoshi status lists the plan's tenants; check the name\n");
    }

    @Test
    void rollback_withoutATenant_isAUsageError() {
        Run run = DataCommandIT.run("rollback", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: Missing required parameter: 'TENANT'\n"
                + "hint: run 'hikkoshi rollback --help' for usage\n");
    }

    @Test
    void rollback_ofSomethingThatIsNoTenantName_isRefusedBeforeAnyRequest() throws IOException {
        Run run = DataCommandIT.run("rollback", "../etc", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: not a tenant name: ../etc\n");
        assertThat(audit()).isEmpty();
    }

    @Test
    void apply_pause_resume_finalize_approve_eachSayWhatTheControllerAccepted() {
        controller.add(InMemoryController.move("hooli", "rest", MoveState.BAKING, java.time.Instant.now(),
                Optional.empty(), Optional.empty(), Optional.of("waiting for approval after 3 inconclusive windows")));

        List<Run> runs = List.of(DataCommandIT.run("apply", "--resume", "-c", config),
                DataCommandIT.run("pause", "-c", config, "--reason", "db maintenance"),
                DataCommandIT.run("resume", "-c", config),
                DataCommandIT.run("finalize", "globex", "-c", config),
                DataCommandIT.run("approve", "rest", "-c", config));

        assertThat(runs).extracting(Run::exitCode).containsOnly(0);
        assertThat(runs).extracting(Run::out).containsExactly(
                "plan continued: the controller runs its journaled plan (hikkoshi status -c " + config + " shows it)\n",
                "plan paused: moves in progress finish their current step and wait (hikkoshi resume -c " + config
                        + " continues)\n",
                "plan resumed\n",
                "globex finalized: its reverse sync stops, and it can no longer be rolled back\n",
                "wave rest approved: it starts when the waves before it are done, and its moves waiting for approval "
                        + "go on\n");
        assertThat(controller.calls()).containsExactly("apply --resume by ops-alice", "pause by ops-alice: db maintenance",
                "resume by ops-alice", "finalize globex by ops-alice", "approve rest by ops-alice");
    }

    @Test
    void apply_sendsThePlanFile_andSaysWhatTheControllerRuns() {
        dev.hikkoshi.cutover.plan.Plan plan = dev.hikkoshi.cutover.plan.Plan.of(java.time.Instant.parse(
                        "2026-11-29T10:00:00Z"), dev.hikkoshi.core.routing.SiteId.of("legacy"),
                dev.hikkoshi.core.routing.SiteId.of("cloud"), java.time.Duration.ofSeconds(5), List.of(
                        new dev.hikkoshi.cutover.plan.PlannedWave("pilot", dev.hikkoshi.cutover.plan.Gate.AUTO,
                                List.of(new dev.hikkoshi.cutover.plan.PlannedMove(
                                        dev.hikkoshi.core.tenant.TenantId.of("hooli"), 10, 100, java.time.Duration.ZERO,
                                        java.time.Duration.ZERO, java.time.Duration.ZERO)))),
                List.of(), List.of(), List.of(), dev.hikkoshi.cutover.plan.ThroughputSample.given(1_000, 100_000),
                new dev.hikkoshi.cutover.plan.Fingerprint(Map.of(), Map.of(), Map.of(),
                        dev.hikkoshi.cutover.plan.Fingerprint.Tolerance.DEFAULT));
        Path file = dir.resolve("plan.json");
        dev.hikkoshi.cutover.plan.PlanFile.write(file, plan);

        Run run = DataCommandIT.run("apply", file.toString(), "-c", config);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("plan " + plan.id().substring(0, 12) + " applied: the controller runs its 1 "
                + "wave (1 tenant; hikkoshi status -c " + config + " shows them)\n");
        assertThat(controller.calls()).containsExactly("adopt " + plan.id() + " by ops-alice");
    }

    @Test
    void apply_withoutAPlanOrResume_orWithBoth_orAMissingFile_isOneClearLine() {
        Run neither = DataCommandIT.run("apply", "-c", config);
        Run both = DataCommandIT.run("apply", "plan.json", "--resume", "-c", config);
        Path missing = dir.resolve("missing.json");
        Run absent = DataCommandIT.run("apply", missing.toString(), "-c", config);

        assertThat(List.of(neither, both, absent)).extracting(Run::exitCode).containsOnly(2);
        assertThat(neither.err()).isEqualTo("error: apply needs a PLAN (or --resume to continue the journaled plan)\n"
                + "hint: make one with hikkoshi plan -c FILE -o PLAN, then run hikkoshi apply PLAN -c FILE\n");
        assertThat(both.err()).isEqualTo("error: apply takes a PLAN or --resume, not both\nhint: hikkoshi apply PLAN "
                + "-c FILE runs a new plan; hikkoshi apply --resume -c FILE continues the journaled one\n");
        assertThat(absent.err()).isEqualTo("error: plan file " + missing + " does not exist\n"
                + "hint: make a new one with hikkoshi plan -c FILE -o PLAN\n");
        assertThat(controller.calls()).isEmpty();
    }

    @Test
    void finalizeWave_finalizesItsDoneTenants_andSaysWhyTheOthersWereNot() throws IOException {
        Run run = DataCommandIT.run("finalize", "--wave", "pilot", "-c", config);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("wave pilot: 1 of 2 moves finalized (their reverse syncs stop, and they can no "
                + "longer be rolled back)\n"
                + "  globex  finalized\n"
                + "  acme    not finalized: BAKING (finalize needs DONE)\n");
        assertThat(controller.state("globex")).isEqualTo(MoveState.FINALIZED);
        assertThat(controller.state("acme")).isEqualTo(MoveState.BAKING);
        assertThat(audit()).singleElement().asString().contains("\"who\":\"ops-alice\",\"what\":\"finalize-wave\","
                + "\"subject\":\"pilot\",\"detail\":\"finalized globex; not finalized: acme (BAKING (finalize needs "
                + "DONE))\",\"outcome\":\"ok\"");
    }

    @Test
    void finalizeWave_withNoDoneTenant_isRefused() {
        Run run = DataCommandIT.run("finalize", "--wave", "half", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).matches("error: finalize refused: no move of wave half is DONE \\(initech: already "
                + "finalized at [0-9T:.-]+Z; umbrella: PLANNED \\(finalize needs DONE\\)\\)\n"
                + "hint: finalize needs DONE: wait until their bakes end \\(hikkoshi status shows them\\)\n");
    }

    @Test
    void finalize_needsATenantOrAWave_notBoth() {
        Run neither = DataCommandIT.run("finalize", "-c", config);
        Run both = DataCommandIT.run("finalize", "globex", "--wave", "pilot", "-c", config);

        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).isEqualTo("error: finalize needs either a TENANT or --wave WAVE\n"
                + "hint: hikkoshi finalize acme -c FILE, or hikkoshi finalize --wave pilot -c FILE\n");
        assertThat(both.err()).isEqualTo("error: finalize needs either a TENANT or --wave WAVE, not both\n"
                + "hint: hikkoshi finalize acme -c FILE, or hikkoshi finalize --wave pilot -c FILE\n");
        assertThat(controller.calls()).isEmpty();
    }

    @Test
    void resume_ofARunningPlan_isRefused() {
        Run run = DataCommandIT.run("resume", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: resume refused: the plan is not paused\n"
                + "hint: hikkoshi status shows what it is doing\n");
    }

    @Test
    void aControllerThatIsNotRunning_isOneClearLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Run run = DataCommandIT.run("status", "-c", config(port));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: cannot reach the controller at http://127.0.0.1:" + port
                + ": connection refused\nhint: start it (hikkoshi controller -c FILE, or hikkoshi run -c FILE), or "
                + "point at it with controller.admin.listen in the config or --controller URL\n");
    }

    @Test
    void aWrongToken_namesTheVariableItCameFrom() {
        ControllerOptions.environment = Map.of("TOKEN_BOB", "not-bobs-token");

        Run run = DataCommandIT.run("status", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: the controller at " + server.url() + " refused the token in TOKEN_BOB: "
                + "the bearer token is not one of the controller's admin tokens\nhint: set TOKEN_BOB to the secret of "
                + "one of the controller's controller.admin.tokens, or pass --token-env with the variable that holds "
                + "yours\n");
    }

    @Test
    void noTokenVariableSet_saysWhichOnesWouldDo() {
        ControllerOptions.environment = Map.of();

        Run run = DataCommandIT.run("apply", "--resume", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: no controller admin token: none of TOKEN_ALICE, TOKEN_BOB "
                + "(controller.admin.tokens) is set\nhint: export your token's variable, such as TOKEN_ALICE, or pass "
                + "--token-env VAR\n");
        assertThat(controller.applied()).isFalse();
    }

    @Test
    void tokenEnvAndController_overrideTheConfig() throws IOException {
        ControllerOptions.environment = Map.of("MY_TOKEN", ALICE);

        Run run = DataCommandIT.run("apply", "--resume", "-c", config(1), "--token-env", "MY_TOKEN", "--controller",
                server.url().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(controller.applied()).isTrue();
    }
}

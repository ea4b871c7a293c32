package dev.hikkoshi.cutover.control;

import static dev.hikkoshi.cutover.control.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.NotFinalized;
import dev.hikkoshi.cutover.control.ControllerOperations.WaveFinalization;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.move.Refreeze;
import dev.hikkoshi.cutover.move.ScriptedStep;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finalize --wave} over the real admin API and the real, journaled controller (steps scripted, as in
 * RealControllerAdminIT), and {@code plan.retention}'s sweep finalizing DONE moves by itself, as actor
 * {@code controller}, counting from the DONE time the journal keeps across a restart.
 */
@Timeout(60)
class FinalizeWaveAndRetentionIT {
    static final String ALICE = "alice-s3cret-0123456789";
    static final String TWO_WAVES = "plan: { waves: [ { name: pilot, tenants: [acme, globex] }, "
            + "{ name: rest, tenants: \"*\" } ] }\n";
    static final Refreeze NO_REFREEZE = a -> {
        throw new AssertionError("no re-freeze expected");
    };
    static final Actor CLI = new Actor("cli");

    @TempDir
    Path dir;

    ControllerFixture fixture(List<String> tenants) {
        return new ControllerFixture(dir.resolve("journal"), tenants.size() > 2 ? TWO_WAVES
                : "plan: { waves: [ { name: pilot, tenants: \"*\" } ] }\n", tenants, ScriptedStep.happyPath(),
                NO_REFREEZE);
    }

    ControllerAdminServer server(ControllerFixture f) {
        return ControllerAdminServer.start(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                        AdminTokens.of(Map.of("ops-alice", ALICE))), f.controller, Optional.of(f.board),
                dir.resolve("state"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    }

    List<String> audit() throws Exception {
        return Files.readAllLines(dir.resolve("state").resolve(AuditLog.FILE_NAME)).stream().map(line -> {
            try {
                JsonNode n = new ObjectMapper().readTree(line);
                return n.path("who").asText() + " " + n.path("what").asText() + " " + n.path("subject").asText() + " "
                        + n.path("outcome").asText() + (n.has("detail") ? " [" + n.path("detail").asText() + "]" : "");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void finalizeWave_finalizesTheWavesDoneMoves_reportsTheOthers_andTheirRollbacksAreRefused() throws Exception {
        try (ControllerFixture f = fixture(List.of("acme", "globex", "hooli"));
             ControllerAdminServer server = server(f)) {
            ControllerClient client = new ControllerClient(server.url(), ALICE, "TOKEN", Duration.ofSeconds(10));
            client.apply(CLI);
            await("every move DONE", () -> f.board.moves().stream().allMatch(m -> m.state() == MoveState.DONE));
            client.finalizeMove(CLI, TenantId.of("globex"));
            f.awaitState("globex", MoveState.FINALIZED, 1);
            Instant globexAt = f.status("globex").since();

            WaveFinalization w = client.finalizeWave(CLI, "pilot");

            assertThat(w).isEqualTo(new WaveFinalization("pilot", List.of(TenantId.of("acme")),
                    List.of(new NotFinalized(TenantId.of("globex"), "already finalized at " + globexAt))));
            f.awaitState("acme", MoveState.FINALIZED, 1);
            assertThat(f.status("hooli").state()).as("another wave's move").isEqualTo(MoveState.DONE);
            MoveStatus acme = f.status("acme");
            assertThatThrownBy(() -> client.rollback(CLI, TenantId.of("acme"))).isInstanceOf(UserException.class)
                    .hasMessage("rollback refused: acme was finalized at " + acme.since())
                    .extracting(e -> ((UserException) e).hint())
                    .isEqualTo("its reverse sync is stopped, so nothing can carry its writes back; to return it, move "
                            + "it back to legacy with a new plan");
            assertThatThrownBy(() -> client.finalizeWave(CLI, "pilot")).isInstanceOf(UserException.class)
                    .hasMessage("finalize refused: no move of wave pilot is DONE (acme: already finalized at "
                            + acme.since() + "; globex: already finalized at " + globexAt + ")")
                    .extracting(e -> ((UserException) e).hint())
                    .isEqualTo("finalize needs DONE: wait until their bakes end (hikkoshi status shows them)");
            assertThatThrownBy(() -> client.finalizeWave(CLI, "zeta")).isInstanceOf(UserException.class)
                    .hasMessage("no wave zeta in the plan");

            assertThat(audit()).containsExactly("ops-alice apply plan ok", "ops-alice finalize globex ok",
                    "ops-alice finalize-wave pilot ok [finalized acme; not finalized: globex (already finalized at "
                            + globexAt + ")]",
                    "ops-alice rollback acme refused", "ops-alice finalize-wave pilot refused",
                    "ops-alice finalize-wave zeta refused");
        }
        try (Journal journal = Journal.openIn(dir.resolve("journal"))) {
            assertThat(journal.replayed()).filteredOn(e -> e instanceof JournalEntry.Transition t
                            && t.to() == MoveState.FINALIZED).extracting(e -> ((JournalEntry.Transition) e).tenant().value()
                            + ": " + ((JournalEntry.Transition) e).reason())
                    .containsExactly("globex: finalized by ops-alice", "acme: finalized by ops-alice");
        }
    }

    @Test
    void retention_finalizesMovesDoneThatLong_asActorController_journaledAndAudited() throws Exception {
        try (ControllerFixture f = fixture(List.of("acme", "globex"));
             ControllerAdminServer server = server(f);
             RetentionSweep sweep = new RetentionSweep(server.operations(), Duration.ofSeconds(1), Clock.systemUTC())
                     .start()) {
            assertThat(sweep.checkEvery()).isEqualTo(Duration.ofMillis(100));
            server.operations().apply(CLI);
            await("acme DONE", () -> f.status("acme").state() == MoveState.DONE);
            Instant done = f.status("acme").since();

            await("both FINALIZED", () -> f.board.moves().stream().allMatch(m -> m.state() == MoveState.FINALIZED));

            assertThat(Duration.between(done, f.status("acme").since())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(audit()).containsExactlyInAnyOrder("cli apply plan ok", "controller finalize acme ok",
                    "controller finalize globex ok");
        }
    }

    @Test
    void retention_afterARestart_countsFromTheJournaledDoneTime() throws Exception {
        Instant done;
        try (ControllerFixture f = fixture(List.of("acme"))) {
            f.controller.apply(CLI);
            f.awaitState("acme", MoveState.DONE, 1);
            done = f.status("acme").since();
        }
        try (ControllerFixture f = fixture(List.of("acme")); ControllerAdminServer server = server(f)) {
            assertThat(f.status("acme").state()).isEqualTo(MoveState.DONE);
            assertThat(f.status("acme").since()).as("DONE since, read back from the journal").isEqualTo(done);
            Duration retention = Duration.ofDays(7);

            RetentionSweep early = new RetentionSweep(server.operations(), retention,
                    Clock.fixed(done.plus(retention).minusMillis(1), ZoneOffset.UTC));
            RetentionSweep due = new RetentionSweep(server.operations(), retention,
                    Clock.fixed(done.plus(retention), ZoneOffset.UTC));

            assertThat(early.sweep()).isZero();
            assertThat(due.sweep()).isEqualTo(1);
            f.awaitState("acme", MoveState.FINALIZED, 1);
            assertThat(due.sweep()).as("nothing left to finalize").isZero();
            assertThat(audit()).containsExactly("controller finalize acme ok");
            early.close();
            due.close();
        }
    }
}

package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What {@code status} says a rollback would lose, from each kind of fact: the reverse stream's state and lag, a
 * reverse-sync failure, rows in skipped tables, shared tables written on the new site, and finalize. The streams
 * are the data engine's snapshots as values (the IT reads them from real streams).
 */
class RollbackLossTest {
    static final TenantId ACME = TenantId.of("acme");
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    static final StreamId REVERSE = new StreamId(ACME, CLOUD, LEGACY);

    final List<StreamStatus> streams = new CopyOnWriteArrayList<>();
    final List<String> skipped = new CopyOnWriteArrayList<>();
    final RollbackLoss loss = new RollbackLoss(() -> List.copyOf(streams), (tenant, from, to) -> List.copyOf(skipped));

    static MoveStatus in(MoveState state) {
        return new MoveStatus(ACME, "pilot", 1, state, T0, LEGACY, CLOUD, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static StreamStatus reverse(StreamState state, double lagSeconds, long lagEvents, Optional<String> problem) {
        return new StreamStatus(REVERSE, "binlog", state, "gtid:0-102-258", lagSeconds, lagEvents, Duration.ZERO, 0, 0,
                true, problem, T0);
    }

    @Test
    void of_switchedWithTheReverseSyncStreaming_losesNothing_andSaysHowFarBehindItIs() {
        streams.add(reverse(StreamState.STREAMING, 0.25, 3, Optional.empty()));
        for (MoveState s : List.of(MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE)) {
            assertThat(loss.of(in(s))).contains("nothing: reverse sync streaming, 0.3 s behind (3 events to carry"
                    + " back)");
        }
    }

    @Test
    void of_beforeTheSwitchOrDuringARollback_hasNoAnswer() {
        streams.add(reverse(StreamState.STREAMING, 0, 0, Optional.empty()));
        for (MoveState s : List.of(MoveState.PLANNED, MoveState.COPYING, MoveState.FROZEN, MoveState.ROLLBACK_SYNC,
                MoveState.ROLLED_BACK, MoveState.FAILED)) {
            assertThat(loss.of(in(s))).as("%s", s).isEmpty();
        }
    }

    @Test
    void of_noReverseStream_losesTheWritesSinceTheSwitch() {
        assertThat(loss.of(in(MoveState.DONE))).contains("writes on cloud since the switch: no reverse sync runs");
    }

    @Test
    void of_aFailedReverseStream_namesWhereItStopped_andTheFailureEvent() {
        streams.add(reverse(StreamState.FAILED, 4, 12, Optional.of("duplicate key in orders")));
        loss.accept(new MoveEvent.ReverseSyncFailed(ACME, "stream cloud -> legacy failed: duplicate key in orders",
                T0.plusSeconds(5)));
        assertThat(loss.of(in(MoveState.DONE))).contains("writes on cloud after gtid:0-102-258: reverse sync FAILED"
                + " (duplicate key in orders); reverse sync failed at 2026-11-29T09:00:05Z: stream cloud -> legacy"
                + " failed: duplicate key in orders");

        // running again (restarted from its checkpoint): the old failure no longer costs anything
        streams.set(0, reverse(StreamState.CATCHING_UP, 4, 12, Optional.empty()));
        assertThat(loss.of(in(MoveState.DONE))).contains("nothing: reverse sync catching_up, 4.0 s behind (12 events to"
                + " carry back)");
        // and a later switch starts a new reverse stream: a failure of the earlier one is forgotten
        streams.clear();
        loss.accept(new MoveEvent.Transition(ACME, 2, MoveState.FINAL_SYNC, MoveState.SWITCHED, "switched",
                T0.plusSeconds(60)));
        assertThat(loss.of(in(MoveState.SWITCHED))).contains("writes on cloud since the switch: no reverse sync runs");
    }

    @Test
    void of_rowsInSkippedTables_andSharedTablesWrittenOnTheNewSite_areNamed() {
        streams.add(reverse(StreamState.STREAMING, 0, 0, Optional.empty()));
        skipped.add("skipped table audit_log: 3 rows of acme on cloud");
        loss.bypassWrite(new BypassWrite(Optional.empty(), CLOUD, "countries", "code=JP", "binlog", T0));
        loss.bypassWrite(new BypassWrite(Optional.empty(), LEGACY, "currencies", "code=JPY", "binlog", T0));
        loss.bypassWrite(new BypassWrite(Optional.of(ACME), LEGACY, "orders", "id=7", "binlog", T0));
        assertThat(loss.of(in(MoveState.BAKING))).contains("skipped table audit_log: 3 rows of acme on cloud; shared"
                + " table countries written on cloud, not its writer");
    }

    @Test
    void of_finalized_saysNoRollbackIsPossible() {
        assertThat(loss.of(in(MoveState.FINALIZED))).contains("no rollback possible: finalized at 2026-11-29T09:00:00Z");
    }

    @Test
    void status_throughTheOperations_carriesTheAnswers_andTheJsonRoundTripKeepsThem() {
        streams.add(reverse(StreamState.STREAMING, 0, 0, Optional.empty()));
        MoveStatus other = new MoveStatus(TenantId.of("globex"), "pilot", 1, MoveState.COPYING, T0, LEGACY, CLOUD,
                Optional.empty(), Optional.empty(), Optional.empty());
        InMemoryController controller = new InMemoryController(java.time.Clock.systemUTC());
        controller.add(in(MoveState.DONE));
        controller.add(other);
        ControllerOperations.ControllerStatus status = new LossReportingOperations(controller, loss).status();
        assertThat(status.rollbackLoss()).isEqualTo(Map.of(ACME, "nothing: reverse sync streaming, 0.0 s behind (0"
                + " events to carry back)"));
        String json = ControllerJson.write(ControllerJson.status(status));
        assertThat(json).contains("\"rollbackLoss\":\"nothing: reverse sync streaming, 0.0 s behind (0 events to carry"
                + " back)\"");
        assertThat(ControllerJson.status(ControllerJson.parse(json, "status"))).isEqualTo(status);
    }
}

package dev.hikkoshi.app.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.app.cli.RunChild;
import dev.hikkoshi.cutover.migration.ShopMigrationConfig;
import dev.hikkoshi.cutover.migration.ShopTenantRows;
import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.app.cli.data.DataCommandIT.Run;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.lock.SiteDatabaseLock;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlanFile;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.router.table.RoutingTableStore;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi plan} and {@code hikkoshi apply} end to end against {@code hikkoshi run} as a child JVM and two
 * real MariaDB servers, while the shop's load runs through its router: a plan made before a schema change on the
 * new site and a tenant placed by hand is refused with each difference named; a second controller on the same
 * state dir, and one on another state dir but the same new-site database, are refused; a fresh plan runs its
 * pilot, waits at its approval gate (also across a SIGKILL and restart), a different plan is refused meanwhile,
 * and after {@code approve}, a SIGKILL in the middle of the gated wave's move and {@code apply --resume}, the
 * plan completes with the tenants' rows equal on both sites.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(480)
class ApplyIT {
    private static final String TOKEN = "ops-secret";

    @TempDir
    Path dir;

    private RunChild child;

    @AfterEach
    void stopChild() throws InterruptedException {
        ControllerOptions.environment = System.getenv();
        if (child != null) {
            child.close();
        }
    }

    @Test
    void staleOrConcurrentPlansAndSecondControllers_areRefused_andAGatedPlanCompletesAcrossKills(SchemaPair pair)
            throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(3);
        TenantId pilot = tenants.get(0);
        TenantId gated = tenants.get(1);
        TenantId byHand = tenants.get(2);
        int proxyPort = freePort();
        int adminPort = freePort();
        ControllerOptions.environment = Map.of("OPS_TOKEN", TOKEN);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path state = dir.resolve("state");
            Path config = write("hikkoshi.yaml", config(pair, shop, state, proxyPort, adminPort, pilot, gated, byHand));
            ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + adminPort), TOKEN,
                    "OPS_TOKEN", Duration.ofSeconds(5));

            // A plan of the world as it is, then the world changes: a column on the new site, a tenant placed by hand.
            Path stale = dir.resolve("stale.json");
            Run planned = DataCommandIT.run("plan", "-c", config.toString(), "-o", stale.toString(),
                    "--throughput-sample", "5000,2000000");
            assertThat(planned.exitCode()).as(planned.err()).isZero();
            Plan stalePlan = PlanFile.read(stale);
            pair.target().execute("ALTER TABLE customers ADD COLUMN loyalty INT NULL");
            RoutingTableStore table = new RoutingTableStore(state.resolve(RouterFleet.STATE_SUBDIR));
            table.save(table.load(List.of(SiteId.of("legacy"), SiteId.of("cloud"))).orElse(RoutingTable.empty())
                    .with(byHand, Placement.at(SiteId.of("cloud"))));

            start(config);
            awaitStatus(client, s -> s.moves().size() == 3, Duration.ofMinutes(2));
            LoadRun load = LoadGenerator.target(URI.create("http://127.0.0.1:" + proxyPort)).tenants(List.of(pilot, gated))
                    .addressing(TenantAddressing.host("{tenant}.shop.test")).workload(ShopWorkload.create(5)).clients(2)
                    .maxRequests(200_000).duration(Duration.ofMinutes(6)).requestTimeout(Duration.ofSeconds(10))
                    .pause(Duration.ofMillis(20)).build().start();
            try {
                Run refused = DataCommandIT.run("apply", stale.toString(), "-c", config.toString());
                assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
                assertThat(refused.err()).isEqualTo("error: apply refused: the world changed since plan "
                        + stalePlan.id().substring(0, 12) + " was made (2 differences):\n"
                        + "  tenant " + byHand + ": on cloud, the plan assumed legacy\n"
                        + "  site cloud: table customers differs (column loyalty added)\n"
                        + "hint: run hikkoshi plan -c FILE -o PLAN again and apply the new plan\n");
                assertThat(client.status().moves()).allMatch(m -> m.state() == MoveState.PLANNED);

                // Second controllers: the same state dir (another process holds it), then the same new-site database.
                assertThatThrownBy(() -> startController(config)).isInstanceOf(UserException.class)
                        .hasMessage("another controller is using state dir " + state + " (pid " + child.pid() + ")")
                        .extracting(e -> ((UserException) e).hint())
                        .isEqualTo("stop that controller first, or give this one a state-dir of its own in the config");
                Path elsewhere = write("elsewhere.yaml", config(pair, shop, dir.resolve("other-state"), freePort(), 0,
                        pilot, gated, byHand));
                String lock = SiteDatabaseLock.lockName(pair.target().name());
                String holder = holder(pair.target(), lock);
                assertThatThrownBy(() -> startController(elsewhere)).isInstanceOf(UserException.class)
                        .hasMessage("another controller holds the database lock " + lock + " on site cloud (127.0.0.1:"
                                + pair.target().server().port() + "/" + pair.target().name() + " as root) (" + holder + ")");

                // The schema is put back; the new plan leaves the tenant placed by hand alone.
                pair.target().execute("ALTER TABLE customers DROP COLUMN loyalty");
                Path fresh = dir.resolve("fresh.json");
                planned = DataCommandIT.run("plan", "-c", config.toString(), "-o", fresh.toString(),
                        "--throughput-sample", "5000,2000000");
                assertThat(planned.exitCode()).as(planned.err()).isZero();
                Plan plan = PlanFile.read(fresh);
                assertThat(plan.tenants()).containsExactly(pilot, gated);
                Run applied = DataCommandIT.run("apply", fresh.toString(), "-c", config.toString());
                assertThat(applied.exitCode()).as(applied.err()).isZero();
                assertThat(applied.out()).isEqualTo("plan " + plan.id().substring(0, 12) + " applied: the controller "
                        + "runs its 2 waves (2 tenants; hikkoshi status -c " + config + " shows them)\n");
                assertThat(DataCommandIT.run("apply", fresh.toString(), "-c", config.toString()).exitCode())
                        .as("the same plan again").isZero();

                awaitState(client, pilot, MoveState.DONE, Duration.ofMinutes(2));
                awaitStatus(client, s -> s.waiting().isPresent(), Duration.ofSeconds(30));
                assertThat(client.status().waiting()).contains("waiting for approval of wave rest");

                // A different plan while this one runs.
                Path swapped = write("swapped.yaml", Files.readString(config).replace("gate: approval", "gate: auto"));
                Path other = dir.resolve("other.json");
                assertThat(DataCommandIT.run("plan", "-c", swapped.toString(), "-o", other.toString(),
                        "--throughput-sample", "5000,2000000").exitCode()).isZero();
                Run concurrent = DataCommandIT.run("apply", other.toString(), "-c", config.toString());
                assertThat(concurrent.exitCode()).isEqualTo(2);
                assertThat(concurrent.err()).isEqualTo("error: apply refused: plan " + plan.id().substring(0, 12)
                        + " is still running (wave rest); only one plan runs at a time\nhint: wait until it has finished "
                        + "(hikkoshi status shows where it is); sending the same plan again is harmless\n");

                // The database lock's connection dies (as in a server restart): the plan is paused for it, the lock
                // taken again on a fresh connection, and the plan resumed, each step in the audit log.
                long lockConnection = holderId(pair.target(), lock);
                pair.target().execute("KILL CONNECTION " + lockConnection);
                awaitAudit(state, "\"who\":\"controller-lock\",\"what\":\"resume\"", Duration.ofSeconds(30));
                assertThat(holderId(pair.target(), lock)).isNotEqualTo(lockConnection);
                List<String> lockLines = Files.readAllLines(state.resolve("audit.jsonl")).stream()
                        .filter(l -> l.contains("controller-lock")).toList();
                assertThat(lockLines).hasSize(2);
                assertThat(lockLines.get(0)).contains("\"what\":\"pause\",\"subject\":\"plan\",\"detail\":\"lost the "
                        + "database lock " + lock + " on site cloud (127.0.0.1:" + pair.target().server().port() + "/"
                        + pair.target().name() + " as root): its connection failed: ").contains("\"outcome\":\"ok\"");
                assertThat(lockLines.get(1)).contains("\"what\":\"resume\",\"subject\":\"plan\",\"outcome\":\"ok\"");
                assertThat(client.status().paused()).isFalse();

                // Killed while waiting at the gate: after a restart it still waits, for the same approval.
                kill();
                start(config);
                awaitStatus(client, s -> s.waiting().isPresent(), Duration.ofMinutes(2));
                assertThat(client.status().waiting()).contains("waiting for approval of wave rest");
                Thread.sleep(500);
                assertThat(state(client, gated)).isEqualTo(MoveState.PLANNED);
                Run status = DataCommandIT.run("status", "-c", config.toString());
                assertThat(status.out()).startsWith("plan: waiting for approval of wave rest\n");

                Run approved = DataCommandIT.run("approve", "rest", "-c", config.toString());
                assertThat(approved.exitCode()).as(approved.err()).isZero();
                // Killed in the middle of the gated wave's move, restarted, continued.
                awaitState(client, gated, Set.of(MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC,
                        MoveState.SWITCHED, MoveState.BAKING), Duration.ofMinutes(2));
                kill();
                start(config);
                awaitStatus(client, s -> true, Duration.ofMinutes(2));
                Run resumed = DataCommandIT.run("apply", "--resume", "-c", config.toString());
                assertThat(resumed.exitCode()).as(resumed.err()).isZero();
                assertThat(resumed.out()).isEqualTo("plan continued: the controller runs its journaled plan (hikkoshi "
                        + "status -c " + config + " shows it)\n");
                awaitState(client, gated, MoveState.DONE, Duration.ofMinutes(2));
                assertThat(state(client, pilot)).isEqualTo(MoveState.DONE);
                // exactly the plan's tenants: the one placed by hand is not the plan's, and no longer on the board
                assertThat(client.status().moves()).extracting(MoveStatus::tenant).containsExactlyInAnyOrder(pilot, gated);
                assertThat(client.status().waiting()).isEmpty();
            } finally {
                load.stop();
                assertThat(load.await(Duration.ofSeconds(30))).isTrue();
            }
            Thread.sleep(2_000); // the reverse streams catch up with the last writes
            for (TenantId t : List.of(pilot, gated)) {
                assertThat(tenantRows(pair.source(), t)).as(t + "'s rows on legacy equal to cloud")
                        .isNotEmpty().containsExactlyElementsOf(tenantRows(pair.target(), t));
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** A controller in this JVM, as hikkoshi controller would start it (the locks come before anything else). */
    private static void startController(Path config) {
        ConfigDocument document = ConfigDocument.read(config, Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", TOKEN));
        ControllerProcess.start(document, config, List.of(), List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC()).close();
        throw new AssertionError("a second controller started");
    }

    /** "connection N from HOST:PORT" of the lock's holder, read with plain SQL. */
    private static String holder(SandboxSchema db, String lock) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.ID, p.HOST FROM information_schema.PROCESSLIST p WHERE p.ID = "
                     + "IS_USED_LOCK('" + lock + "')")) {
            assertThat(rs.next()).as("someone holds " + lock).isTrue();
            return "connection " + rs.getLong(1) + " from " + rs.getString(2);
        }
    }

    private static long holderId(SandboxSchema db, String lock) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('" + lock + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitAudit(Path state, String fragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.readAllLines(state.resolve("audit.jsonl")).stream().noneMatch(l -> l.contains(fragment))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit line with " + fragment + " within " + timeout + "\n" + tail());
            }
            Thread.sleep(50);
        }
    }

    private void start(Path config) throws IOException {
        child = RunChild.start(config, dir, TOKEN);
    }

    private void kill() throws InterruptedException {
        child.kill();
    }

    private static MoveState state(ControllerClient client, TenantId tenant) {
        return client.status().moves().stream().filter(m -> m.tenant().equals(tenant)).map(MoveStatus::state)
                .findFirst().orElseThrow();
    }

    private void awaitState(ControllerClient client, TenantId tenant, MoveState state, Duration timeout)
            throws Exception {
        awaitState(client, tenant, EnumSet.of(state), timeout);
    }

    private void awaitState(ControllerClient client, TenantId tenant, Set<MoveState> states, Duration timeout)
            throws Exception {
        awaitStatus(client, s -> s.moves().stream().anyMatch(m -> m.tenant().equals(tenant)
                && states.contains(m.state())), timeout);
    }

    private ControllerStatus awaitStatus(ControllerClient client, Predicate<ControllerStatus> wanted, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ControllerStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("hikkoshi run exited with " + child.exitValue() + ":\n" + tail());
            }
            try {
                last = Optional.of(client.status());
                if (wanted.test(last.get())) {
                    return last.get();
                }
            } catch (RuntimeException notUpYet) {
                // the child is still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("status not as wanted within " + timeout + " (last: " + last + ")\n" + tail());
    }

    private String tail() {
        return child.tail();
    }

    private static List<String> tenantRows(SandboxSchema db, TenantId tenant) throws SQLException {
        return ShopTenantRows.of(db, tenant);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String config(SchemaPair pair, ShopSites shop, Path state, int proxyPort, int adminPort,
                                 TenantId pilot, TenantId gated, TenantId byHand) {
        return ShopMigrationConfig.of(pair, shop, state).ports(proxyPort, adminPort).plan(
                "waves: [ { name: pilot, tenants: [" + pilot + "] }, { name: rest, tenants: [" + gated + ", " + byHand
                        + "], gate: approval } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 50%, p99: 5s, window: 1s, min-requests: 1, bake: 3s,",
                "                 inconclusive: { max-extensions: 10, then: wait-for-approval } }").text();
    }
}

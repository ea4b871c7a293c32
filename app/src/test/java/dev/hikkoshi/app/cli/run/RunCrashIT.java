package dev.hikkoshi.app.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.RunChild;
import dev.hikkoshi.cutover.migration.ShopMigrationConfig;
import dev.hikkoshi.cutover.migration.ShopTenantRows;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopOperation;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi run} as a child JVM, killed with SIGKILL at a seeded moment in each state of a move and of its
 * rollback while the shop's load writes through its router, then started again from its journal (once with a
 * torn record appended to it). The move still reaches DONE with the tenant's rows equal on both sites (compared
 * with plain SQL), every write acknowledged before the rollback is on the new site, and after the rollback every
 * acknowledged write is on the old site.
 *
 * <p>The full matrix runs with {@code -Dhikkoshi.kill-matrix=full} ({@code bench/kill-matrix.sh}), not in
 * {@code verify}: in every state of the move (DONE too) and of its rollback, one kill right after the transition
 * into it (as soon as the status shows it) and, once resumed there, one right before the transition out of it (when
 * the child logs that the state's work is done: the copy finished, the freeze confirmed, the tenant released; a
 * state that logs no such line is killed at a seeded moment in it instead). Each kill is printed with the state the
 * journal shows after it, since a kill may land a few milliseconds after the transition it aimed before.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(600)
class RunCrashIT {
    private static final String TOKEN = "ops-secret";
    private static final Set<MoveState> FORWARD = EnumSet.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
            MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING);
    private static final Set<MoveState> BACKWARD = EnumSet.of(MoveState.ROLLBACK_FROZEN, MoveState.ROLLBACK_SYNC);
    /** The states a move and its rollback pass through, in order. */
    private static final List<MoveState> ORDER = List.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
            MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE, MoveState.ROLLBACK_FROZEN,
            MoveState.ROLLBACK_SYNC);
    /** {@code full}: the matrix before and after every transition (bench/kill-matrix.sh); otherwise one kill a state. */
    private static final boolean FULL_MATRIX = "full".equals(System.getProperty("hikkoshi.kill-matrix"));
    /** What the child logs once a state's work is done, just before it journals the transition out of it. */
    private static final Map<MoveState, String> WORK_DONE = Map.of(
            MoveState.COPYING, " rows copied in this run ",
            MoveState.FROZEN, " frozen on legacy by ",
            MoveState.SWITCHED, " released to cloud on ",
            MoveState.ROLLBACK_FROZEN, " frozen on cloud by ",
            MoveState.ROLLBACK_SYNC, " released to legacy on ");

    /** When in a state a kill lands. */
    private enum KillAt {
        /** At a seeded moment in the state (up to 300 ms after it was seen): the one kill a state of verify. */
        SEEDED,
        /** As soon as the state is seen: right after the transition into it. */
        ENTERED,
        /** When the child logs the state's work done: right before the transition out of it. */
        LEAVING
    }

    /** Kept when the test fails: the children's logs, the journal and the config explain what happened. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final Random random = new Random(11);
    private final List<String> killedIn = new ArrayList<>();
    /** Moves seen to abort after a cold restart inside the freeze (and resumed, as an operator would). */
    private int aborts;
    private RunChild child;

    @Test
    void killedInEveryStateOfAMoveAndItsRollback_resumesToTheSameEnd_withNoAcknowledgedWriteLost(SchemaPair pair)
            throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId moved = tenants.get(0);
        int proxyPort = freePort();
        int adminPort = freePort();
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, moved, proxyPort, adminPort));
            ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + adminPort), TOKEN, "OPS_TOKEN",
                    Duration.ofSeconds(5));
            ShopWorkload workload = ShopWorkload.create(3);
            URI proxy = URI.create("http://127.0.0.1:" + proxyPort);
            LoadRun load = load(proxy, tenants, workload, Duration.ofMinutes(8));
            try {
                start(config);
                awaitState(client, moved, EnumSet.of(MoveState.PLANNED), Duration.ofMinutes(2)); // up and listening
                client.apply(new Actor("test"));
                boolean torn = false;
                for (MoveState state : forward()) {
                    for (KillAt at : killPoints(state)) {
                        if (load.isDone()) { // the full matrix outlasts one load run: the bake needs traffic
                            load = load(proxy, tenants, workload, Duration.ofMinutes(8));
                        }
                        killIn(client, moved, state, at);
                        if (state == MoveState.FINAL_SYNC && !torn) {
                            tearJournal();
                            torn = true;
                        }
                        start(config);
                    }
                }
                awaitState(client, moved, EnumSet.of(MoveState.DONE), Duration.ofMinutes(2));
                Thread.sleep(2_000); // writes on the new site meanwhile; the reverse stream carries them back
                load.stop();
                assertThat(load.await(Duration.ofSeconds(30))).isTrue();
                // The reverse stream carries the last writes back: by rounds up to 30 s, not a fixed sleep, so that a
                // loaded machine's slow apply is told apart from a row that never comes.
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!tenantRows(pair.source(), moved).equals(tenantRows(pair.target(), moved))
                        && System.nanoTime() < until) {
                    Thread.sleep(250);
                }
                List<String> onLegacyRows = tenantRows(pair.source(), moved);
                List<String> onCloudRows = tenantRows(pair.target(), moved);
                assertThat(onLegacyRows).as(() -> "rows on legacy equal to cloud (30 s after the load)\n"
                                + differenceStory(onLegacyRows, onCloudRows, workload))
                        .containsExactlyElementsOf(onCloudRows);
                // SYNCED's full verification re-copies what the stream missed, so the rows above would be equal even
                // then: the stream's own correctness is asserted from the children's logs.
                assertThat(childLogLines("were re-copied by key")).as("rows the forward stream did not carry").isEmpty();
                AckedWritesCheck.Report onCloud = AckedWritesCheck.check(workload.exchanges(), List.of(moved), pair.target());
                assertThat(onCloud.violations()).isEmpty();
                assertThat(onCloud.ordersChecked()).isPositive();

                LoadRun more = load(proxy, tenants, workload, Duration.ofMinutes(FULL_MATRIX ? 10 : 4));
                client.rollback(new Actor("test"), moved);
                for (MoveState state : BACKWARD) {
                    for (KillAt at : killPoints(state)) {
                        killIn(client, moved, state, at);
                        start(config);
                    }
                }
                MoveStatus end = awaitState(client, moved, EnumSet.of(MoveState.PLANNED), Duration.ofMinutes(2));
                assertThat(end.attempt()).isEqualTo(2 + aborts);
                Thread.sleep(1_000);
                more.stop();
                assertThat(more.await(Duration.ofSeconds(30))).isTrue();
                AckedWritesCheck.Report onLegacy = AckedWritesCheck.check(workload.exchanges(), tenants, pair.source());
                assertThat(onLegacy.violations()).isEmpty();
                System.out.println("kill matrix (" + (FULL_MATRIX ? "full" : "one a state") + "): " + killedIn);
                assertThat(killedIn).as("states the controller was killed in")
                        .hasSizeGreaterThanOrEqualTo(FULL_MATRIX ? 2 * (FORWARD.size() + BACKWARD.size()) + 1 : 6);
            } finally {
                load.stop();
                stop();
            }
        }
    }

    private void start(Path config) throws IOException {
        child = RunChild.start(config, dir, TOKEN);
    }

    /** The shop's load through the router, recorded in {@code workload}, for {@code duration} (10 min at most). */
    private static LoadRun load(URI proxy, List<TenantId> tenants, ShopWorkload workload, Duration duration) {
        return LoadGenerator.target(proxy).tenants(tenants).addressing(TenantAddressing.host("{tenant}.shop.test"))
                .workload(workload).clients(2).maxRequests(200_000).duration(duration)
                .requestTimeout(Duration.ofSeconds(10)).pause(Duration.ofMillis(20)).build().start();
    }

    /** The forward states killed in: DONE too in the full matrix (its reverse stream must come back). */
    private static List<MoveState> forward() {
        List<MoveState> states = new ArrayList<>(FORWARD);
        if (FULL_MATRIX) {
            states.add(MoveState.DONE);
        }
        return states;
    }

    private static List<KillAt> killPoints(MoveState state) {
        if (!FULL_MATRIX) {
            return List.of(KillAt.SEEDED);
        }
        return state == MoveState.DONE ? List.of(KillAt.ENTERED) : List.of(KillAt.ENTERED, KillAt.LEAVING);
    }

    /**
     * Waits until the move is in {@code state}, then kills the child (SIGKILL) where {@code at} says, and notes the
     * state the journal shows after the kill.
     */
    private void killIn(ControllerClient client, TenantId tenant, MoveState state, KillAt at) throws Exception {
        awaitEntered(client, tenant, state);
        switch (at) {
            case SEEDED -> Thread.sleep(random.nextInt(state == MoveState.SWITCHED ? 60 : 300));
            case ENTERED -> {
            }
            case LEAVING -> awaitWorkDone(client, tenant, state);
        }
        child.kill();
        killedIn.add((at == KillAt.SEEDED ? state.name() : at + " " + state) + " (journal: " + journaledState(tenant) + ")");
    }

    /**
     * Waits until the move is in {@code state}: journaled already (the child resumes in it), seen in the status, or
     * in the child's log line of the transition into it. SWITCHED lasts only the reverse stream's start and the release (tens to a few hundred ms), shorter
     * than a status poll may take on a loaded machine; the log line is read every 5 ms.
     */
    private void awaitEntered(ControllerClient client, TenantId tenant, MoveState state) throws Exception {
        if (journaledState(tenant).equals(state.name())) {
            return; // the last kill landed after the transition into it: the child resumes in it as it starts
        }
        String transition = "move of " + tenant + " (attempt ";
        String into = " -> " + state + ": ";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("hikkoshi run exited with " + child.exitValue() + ":\n" + tail());
            }
            if (child.output().lines().anyMatch(l -> l.contains(transition) && l.contains(into))) {
                return;
            }
            try {
                ControllerStatus status = client.status();
                Optional<MoveStatus> move = status.moves().stream().filter(m -> m.tenant().equals(tenant)).findFirst();
                // At or past it: a short state (SWITCHED) may be over before the restarted child answers; the kill
                // then lands later, and its label says where (the journal's state).
                if (move.isPresent() && ORDER.indexOf(move.get().state()) >= ORDER.indexOf(state)) {
                    return;
                }
                resumeIfAborted(client, status, move, EnumSet.of(state));
            } catch (RuntimeException notUpYet) {
                // the child is still starting
            }
            Thread.sleep(5);
        }
        throw new AssertionError("move of " + tenant + " not in " + state + " within 2 min\n" + tail());
    }

    /**
     * Waits for the child's line saying the state's work is done; a state without one is killed at a seeded
     * moment in it (up to 1.5 s, or as soon as it has left it).
     */
    private void awaitWorkDone(ControllerClient client, TenantId tenant, MoveState state) throws Exception {
        String marker = WORK_DONE.get(state);
        long deadline = System.nanoTime() + (marker == null ? random.nextInt(1500) * 1_000_000L
                : Duration.ofMinutes(2).toNanos());
        while (System.nanoTime() < deadline) {
            if (marker != null ? child.output().contains(marker) : leftOrNotUpYet(client, tenant, state)) {
                return;
            }
            Thread.sleep(marker == null ? 30 : 5);
        }
        if (marker != null) {
            throw new AssertionError("no '" + marker.strip() + "' from the child in " + state + " within 2 min\n" + tail());
        }
    }

    /**
     * Whether the move has left {@code state}; false while the restarted child is not answering yet (a kill that
     * landed after the transition into the state lets the test go on at once, while the child starts).
     */
    private static boolean leftOrNotUpYet(ControllerClient client, TenantId tenant, MoveState state) {
        try {
            return client.status().moves().stream().noneMatch(m -> m.tenant().equals(tenant) && m.state() == state);
        } catch (RuntimeException notUpYet) {
            return false;
        }
    }

    /** The move's state as the journal left it (read from a copy, the child may be writing it). */
    private String journaledState(TenantId tenant) throws IOException {
        Path copy = Files.createTempFile(dir, "journal", ".copy");
        Files.copy(dir.resolve("state").resolve("moves.journal"), copy, StandardCopyOption.REPLACE_EXISTING);
        try (Journal journal = Journal.open(copy)) {
            return JournalReplay.of(copy, journal.replayed()).move(tenant)
                    .map(m -> m.attempt().state().name()).orElse("PLANNED");
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private MoveStatus awaitState(ControllerClient client, TenantId tenant, Set<MoveState> wanted, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<MoveStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("hikkoshi run exited with " + child.exitValue() + ":\n" + tail());
            }
            try {
                ControllerStatus status = client.status();
                last = status.moves().stream().filter(m -> m.tenant().equals(tenant)).findFirst();
                if (last.isPresent() && wanted.contains(last.get().state())) {
                    return last.get();
                }
                resumeIfAborted(client, status, last, wanted);
            } catch (RuntimeException notUpYet) {
                // the child is still starting
            }
            Thread.sleep(30);
        }
        throw new AssertionError("move of " + tenant + " not in " + wanted + " within " + timeout + " (last: " + last
                + ")\n" + tail());
    }

    /**
     * A cold restart inside the freeze may not drain within freeze.max: the move aborts back to the old site and the
     * plan pauses, as designed. The test resumes it, as an operator would, and counts it.
     */
    private void resumeIfAborted(ControllerClient client, ControllerStatus status, Optional<MoveStatus> move,
                                 Set<MoveState> wanted) {
        if (status.paused() && !wanted.contains(MoveState.PLANNED) && move.isPresent()
                && move.get().state() == MoveState.PLANNED && move.get().attempt() > 1 + aborts) {
            aborts++;
            killedIn.add("aborted (" + move.get().problem().orElse("no problem given") + "), resumed");
            client.resume(new Actor("test"));
        }
    }

    /** Half a record at the journal's end, as a crash in the middle of an append leaves it. */
    private void tearJournal() throws IOException {
        Files.write(dir.resolve("state").resolve("moves.journal"), new byte[] {0, 0, 0, 40, 1, 2, 3, 4, '{', '"'},
                StandardOpenOption.APPEND);
    }

    private void stop() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    private String tail() {
        return child.tail();
    }

    private static List<String> tenantRows(SandboxSchema db, TenantId tenant) throws SQLException {
        return ShopTenantRows.of(db, tenant);
    }

    /**
     * What a failure needs to tell a lost forward write from a lost reverse delete: the orders whose rows differ,
     * every request the workload made on them (an order no request names was created by a request whose answer was
     * lost, so the workload never touched it again), the kills, and where the children's logs are kept.
     */
    private String differenceStory(List<String> legacy, List<String> cloud, ShopWorkload workload) {
        Set<Long> orders = new java.util.TreeSet<>();
        List<String> onlyLegacy = legacy.stream().filter(r -> !cloud.contains(r)).toList();
        List<String> onlyCloud = cloud.stream().filter(r -> !legacy.contains(r)).toList();
        for (String row : concat(onlyLegacy, onlyCloud)) {
            String[] f = row.split("\\|");
            if (f[0].equals("o") || f[0].equals("i")) {
                orders.add(Long.parseLong(f[f[0].equals("o") ? 1 : 2]));
            }
        }
        StringBuilder story = new StringBuilder("only on legacy: " + onlyLegacy + "\nonly on cloud: " + onlyCloud + "\n");
        for (long order : orders) {
            List<ShopExchange> requests = workload.exchanges().stream()
                    .filter(e -> e.orderId().isPresent() && e.orderId().getAsLong() == order).toList();
            story.append("requests on order ").append(order).append(requests.isEmpty()
                    ? ": none (its create was not acknowledged)" : ":").append('\n');
            requests.forEach(e -> story.append("  ").append(e).append('\n'));
        }
        workload.exchanges().stream().filter(e -> e.operation() instanceof ShopOperation.CreateOrder && !e.acknowledged())
                .forEach(e -> story.append("unacknowledged create: ").append(e).append(' ').append(e.operation())
                        .append('\n'));
        return story.append("kills: ").append(killedIn).append("\nchildren's logs kept in ").append(dir).toString();
    }

    /** The lines of every child's log (each start wrote its own) that contain {@code text}. */
    private List<String> childLogLines(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("run")).sorted().toList()) {
                Files.readAllLines(log).stream().filter(l -> l.contains(text)).forEach(found::add);
            }
        }
        return found;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId moved, int proxyPort, int adminPort) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).ports(proxyPort, adminPort).plan(
                "waves: [ { name: pilot, tenants: [" + moved + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 50%, p99: 5s, window: 2s, min-requests: 1, bake: 6s,",
                "                 inconclusive: { max-extensions: 10, then: wait-for-approval } }").text();
    }
}

package dev.hikkoshi.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.AuditLog;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.move.SharedTableSync;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared countries table while the controller runs, on real servers through the real admin API: it is synced
 * one way from its writer (legacy), a write on the other site is a split-brain that pauses the plan; the writer
 * moves to cloud with {@code shared switch} (refused while the table differs, then done: frozen, drained, verified),
 * after which the sync runs from cloud, writes on legacy are the split-brain, and a restarted controller keeps the
 * new writer, reports a write made on legacy while it was down, and without a checkpoint of the new direction
 * (a crash right after the switch) streams from the position the switch recorded.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class SharedTablesIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");
    private static final Actor CLI = new Actor("cli");

    @TempDir
    Path dir;

    @Test
    void sharedTableSyncsFromItsWriter_splitBrainOnTheOtherSite_andTheWriterSwitches(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(1);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, tenants.get(0)));
            List<MoveEvent> events = new CopyOnWriteArrayList<>();
            try (Router router = Router.start(config, ENV); ControllerProcess controller = start(config, router)) {
                controller.board().subscribe(events::add);
                ControllerClient client = client(controller);
                assertThat(client.sharedWriters()).containsExactly(new SharedTableSync.Writer("countries",
                        ShopSites.LEGACY, ShopSites.LEGACY, Optional.empty(), Optional.empty()));

                pair.source().execute("INSERT INTO countries (code, name) VALUES ('NZ', 'New Zealand')");
                await(() -> rows(pair.target()).contains("NZ|New Zealand"));

                pair.target().execute("UPDATE countries SET name = 'written on cloud' WHERE code = 'JP'");
                await(() -> events.stream().anyMatch(e -> e instanceof MoveEvent.SplitBrain));
                assertThat(events).filteredOn(e -> e instanceof MoveEvent.SplitBrain).singleElement()
                        .satisfies(e -> {
                            MoveEvent.SplitBrain s = (MoveEvent.SplitBrain) e;
                            assertThat(s.tenant()).isEqualTo(TenantId.of("shared-tables"));
                            assertThat(s.site()).isEqualTo(ShopSites.CLOUD);
                            assertThat(s.table()).isEqualTo("countries");
                            assertThat(s.key()).isEqualTo("code=JP");
                        });
                assertThat(client.status().paused()).isTrue();
                assertThat(client.status().pauseReason().orElseThrow()).startsWith("split-brain: a write that bypassed "
                        + "hikkoshi changed shared table row countries code=JP on site cloud");
                client.resume(CLI);

                assertThatThrownBy(() -> client.switchSharedWriter(CLI, "countries", ShopSites.CLOUD))
                        .isInstanceOf(UserException.class)
                        .hasMessageStartingWith("shared switch refused: countries differs between legacy and cloud after "
                                + "the drain: 1 rows (")
                        .extracting(e -> ((UserException) e).hint()).isEqualTo("nothing was switched; repair that table "
                                + "alone (hikkoshi data verify -c FILE --all --table countries --from legacy --to cloud"
                                + " --repair) and try again");
                refusal(() -> client.switchSharedWriter(CLI, "orders", ShopSites.CLOUD),
                        "shared switch refused: orders is not a shared table",
                        "the shared tables are [countries] (data.tables.NAME.shared in the config)");
                refusal(() -> client.switchSharedWriter(CLI, "countries", ShopSites.LEGACY),
                        "shared switch refused: countries is already written on legacy",
                        "nothing to do; hikkoshi status shows the shared tables' writers");
                // The writer writes the row again: the stream carries legacy's row over cloud's.
                pair.source().execute("UPDATE countries SET name = 'Japan (legacy)' WHERE code = 'JP'");
                await(() -> rows(pair.target()).contains("JP|Japan (legacy)"));

                SharedTableSync.Switched switched = client.switchSharedWriter(CLI, "countries", ShopSites.CLOUD);

                assertThat(switched.from()).isEqualTo(ShopSites.LEGACY);
                assertThat(switched.to()).isEqualTo(ShopSites.CLOUD);
                assertThat(switched.rowsVerified()).isEqualTo(rows(pair.source()).size());
                assertThat(client.sharedWriters()).singleElement().satisfies(w -> {
                    assertThat(w.writer()).isEqualTo(ShopSites.CLOUD);
                    assertThat(w.configured()).isEqualTo(ShopSites.LEGACY);
                    assertThat(w.switchedBy()).contains("ops");
                });
                pair.target().execute("INSERT INTO countries (code, name) VALUES ('IS', 'Iceland')");
                await(() -> rows(pair.source()).contains("IS|Iceland"));
                pair.source().execute("UPDATE countries SET name = 'written on legacy' WHERE code = 'DE'");
                await(() -> events.stream().anyMatch(e -> e instanceof MoveEvent.SplitBrain s
                        && s.site().equals(ShopSites.LEGACY) && s.key().equals("code=DE")));
                pair.source().execute("UPDATE countries SET name = 'Germany' WHERE code = 'DE'"); // put back by hand
            }
            // Written on the old writer while no controller runs: the restarted watch reads from where it had read to.
            pair.source().execute("UPDATE countries SET name = 'written while hikkoshi was down' WHERE code = 'FR'");
            // A crash right after a switch recorded its new writer leaves the new direction without a checkpoint: the
            // restarted stream starts where the switch noted, so an update made on the writer since is carried too.
            pair.target().execute("UPDATE countries SET name = 'United States (cloud)' WHERE code = 'US'");
            pair.source().execute("DELETE FROM hikkoshi.stream_checkpoint WHERE stream LIKE '%shared-tables:cloud->legacy'");
            try (Router router = Router.start(config, ENV); ControllerProcess controller = start(config, router)) {
                List<MoveEvent> restarted = new CopyOnWriteArrayList<>();
                controller.board().subscribe(restarted::add);
                ControllerClient client = client(controller);
                assertThat(client.sharedWriters()).extracting(SharedTableSync.Writer::writer)
                        .containsExactly(ShopSites.CLOUD);
                await(() -> restarted.stream().anyMatch(e -> e instanceof MoveEvent.SplitBrain s
                        && s.site().equals(ShopSites.LEGACY) && s.key().equals("code=FR")));
                await(() -> rows(pair.source()).contains("US|United States (cloud)"));
                pair.source().execute("UPDATE countries SET name = 'France' WHERE code = 'FR'");
                pair.target().execute("INSERT INTO countries (code, name) VALUES ('PT', 'Portugal')");
                await(() -> rows(pair.source()).contains("PT|Portugal"));
                assertThat(rows(pair.source())).containsExactlyElementsOf(rows(pair.target()));
            }
        }
        List<String> audit = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("state").resolve(AuditLog.FILE_NAME))) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.path("what").asText().equals("shared-switch")) {
                audit.add(n.path("who").asText() + " " + n.path("subject").asText() + " " + n.path("outcome").asText()
                        + " " + n.path("detail").asText());
            }
        }
        assertThat(audit).hasSize(4);
        assertThat(audit.subList(0, 3)).containsExactly("ops countries refused writer cloud",
                "ops orders refused writer cloud", "ops countries refused writer legacy");
        assertThat(audit.get(3)).matches("ops countries ok writer legacy -> cloud: \\d+ rows verified equal, writes "
                + "frozen for \\d+ ms");
    }

    /**
     * The freeze: an application writing the table on the old writer during the switch is held (one insert waits
     * for the freeze), every insert that finished before the switch began is on the new writer, those held until
     * the release land on the old site and are reported there as split-brains; and a transaction holding the table
     * makes the switch refuse after the lock wait instead of queueing writes behind it.
     */
    @Test
    void switchFreezesTheOldWritersWrites_andALongTransactionMakesItRefuse(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(1);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, tenants.get(0)));
            List<MoveEvent> events = new CopyOnWriteArrayList<>();
            try (Router router = Router.start(config, ENV); ControllerProcess controller = start(config, router)) {
                controller.board().subscribe(events::add);
                ControllerClient client = client(controller);
                try (Connection open = pair.source().connect(); Statement s = open.createStatement()) {
                    open.setAutoCommit(false);
                    s.execute("UPDATE countries SET name = 'in a long transaction' WHERE code = 'JP'");
                    assertThatThrownBy(() -> client.switchSharedWriter(CLI, "countries", ShopSites.CLOUD))
                            .isInstanceOf(UserException.class)
                            .hasMessageStartingWith("shared switch refused: the writes to countries on legacy could "
                                    + "not be frozen within 5 s: ")
                            .extracting(e -> ((UserException) e).hint())
                            .isEqualTo("a long transaction holds the table; try again when it ended");
                    open.rollback();
                }
                assertThat(client.sharedWriters()).extracting(SharedTableSync.Writer::writer)
                        .containsExactly(ShopSites.LEGACY);

                List<long[]> inserts = new CopyOnWriteArrayList<>(); // {index, start nanos, end nanos}
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread writer = new Thread(() -> {
                    try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
                        for (int i = 0; i < CODES && !stop.get(); i++) {
                            long start = System.nanoTime();
                            st.execute("INSERT INTO countries (code, name) VALUES ('" + code(i) + "', 'written " + i
                                    + "')");
                            inserts.add(new long[] {i, start, System.nanoTime()});
                            Thread.sleep(3); // dense: a freeze of a few tens of ms still holds an insert
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                writer.start();
                await(() -> inserts.size() >= 10);
                long switchStart = System.nanoTime();
                SharedTableSync.Switched switched = client.switchSharedWriter(CLI, "countries", ShopSites.CLOUD);
                long switchEnd = System.nanoTime();
                await(() -> inserts.stream().anyMatch(i -> i[2] > switchEnd));
                stop.set(true);
                writer.join(10_000);

                assertThat(switched.frozen()).isPositive();
                long held = inserts.stream().mapToLong(i -> i[2] - i[1]).max().orElseThrow();
                assertThat(Duration.ofNanos(held)).as("the longest insert: held by the freeze")
                        .isGreaterThanOrEqualTo(switched.frozen().dividedBy(2));
                List<String> onCloud = rows(pair.target());
                for (long[] i : inserts) {
                    String row = code((int) i[0]) + "|written " + i[0];
                    if (i[2] < switchStart) {
                        assertThat(onCloud).as("finished before the switch").contains(row);
                    }
                }
                List<String> onlyOnLegacy = new ArrayList<>(rows(pair.source()));
                onlyOnLegacy.removeAll(onCloud);
                assertThat(onlyOnLegacy).as("held by the freeze, or written after it").isNotEmpty();
                await(() -> onlyOnLegacy.stream().allMatch(row -> events.stream().anyMatch(e ->
                        e instanceof MoveEvent.SplitBrain sb && sb.site().equals(ShopSites.LEGACY)
                                && sb.key().equals("code=" + row.substring(0, 2)))));
            }
        }
    }

    /** Two-character codes with a digit, which no real country has: {@value #CODES} of them. */
    private static final int CODES = 36 * 36 - 26 * 26;
    private static final String CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static String code(int i) {
        int n = -1;
        for (int a = 0; a < 36; a++) {
            for (int b = 0; b < 36; b++) {
                if ((a < 10 || b < 10) && ++n == i) {
                    return "" + CHARS.charAt(a) + CHARS.charAt(b);
                }
            }
        }
        throw new IllegalArgumentException("only " + CODES + " codes");
    }

    private ControllerProcess start(Path config, Router router) {
        return ControllerProcess.start(ConfigDocument.read(config, ENV), config, List.of(router.control()),
                List.of(router.traffic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    }

    private static ControllerClient client(ControllerProcess controller) {
        return new ControllerClient(controller.adminUrl(), "ops-secret", "OPS_TOKEN", Duration.ofSeconds(60));
    }

    private static void refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message,
                                String hint) {
        assertThatThrownBy(call).isInstanceOf(UserException.class).hasMessage(message)
                .extracting(e -> ((UserException) e).hint()).isEqualTo(hint);
    }

    static List<String> rows(SandboxSchema schema) {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code, name FROM countries ORDER BY code")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId tenant) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).tenants("{ name: " + tenant + ", id: 1 }").plan(
                "waves: [ { name: pilot, tenants: [" + tenant + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 5%, p99: 1s }").text();
    }
}

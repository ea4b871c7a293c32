package dev.hikkoshi.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.stream.CheckpointedStreams;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import dev.hikkoshi.watch.alert.live.AlertService;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import dev.hikkoshi.watch.notify.DeliveryPolicy;
import dev.hikkoshi.watch.signal.SignalLoop;
import dev.hikkoshi.watch.signal.SignalsSection;
import dev.hikkoshi.watch.signal.StreamSignals;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The live path of the lag alert: a change stream that has stopped applying while its source keeps changing
 * (real sandbox servers, real stream checkpoints) is turned into stream-lag evaluations by the signal loop,
 * and the live alert service delivers the critical alert to a webhook within its configured time.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class LagAlertIT {
    @TempDir
    Path dir;

    @Test
    void streamStoppedWhileTheSourceKeepsWriting_raisesTheCriticalLagAlertInTime(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(DataCommandIT.SHOP);
        DataCommandIT shop = new DataCommandIT();
        shop.dir = dir;
        Path config = shop.config(pair);
        Files.writeString(config, Files.readString(config).replace("capture: differential", "capture: binlog")
                + """
                environment: production
                alerts:
                  receivers: [ { name: ops, webhook-url-env: HOOK, env: [production] } ]
                  # by severity too: the critical alert gets its own group (and group wait), not the warning's next update
                  routes: [ { match: [check=stream-lag], receiver: ops, group-by: [tenant, severity], group-wait: 1s,
                              group-interval: 1m } ]
                  flapping: { fire: 2, of: 3, clear-after: 2 }
                  signals: { lag-warning: 1s, lag-critical: 3s, interval: 500ms }
                """);
        assertThat(DataCommandIT.run("data", "sync", "-c", config.toString(), "acme", "--until-caught-up").exitCode()).isZero();

        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        ConfigDocument doc = ConfigDocument.read(config, Map.of("HOOK", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"));
        CommonConfig common = CommonConfig.bind(doc.root());
        AlertsConfig alerts = AlertsSection.bind(doc.root().get("alerts"), common, AlertsSection.Secrets.RESOLVE);
        SignalsSection.Bound signals = SignalsSection.bind(doc.root().get("alerts").get("signals"));
        doc.throwIfProblems();
        MariaDbDataSource target = new MariaDbDataSource(pair.target().jdbcUrl());
        target.setUser("root");
        CheckpointedStreams streams = new CheckpointedStreams(Map.of(SiteId.of("cloud"), target), java.util.Set.of(pair.name()), SiteId.of("legacy"),
                Clock.systemUTC());
        long stoppedAt = System.nanoTime(); // the stream process ended with the sync command
        try (AuditLog audit = AuditLog.append(AuditLog.fileIn(dir));
             AlertService service = new AlertService(alerts, SilenceStore.open(SilenceStore.fileIn(dir)), audit,
                     Clock.systemUTC(), Duration.ofSeconds(1), DeliveryPolicy.SLACK, DeliveryPolicy.WEBHOOK);
             SignalLoop loop = new SignalLoop(List.of(new StreamSignals(streams, signals.settings())::evaluate),
                     service::offer, Clock.systemUTC())) {
            service.start();
            loop.start(signals.interval());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.stream().noneMatch(b -> b.contains("severity=critical")) && System.nanoTime() < deadline) {
                pair.source().execute("UPDATE orders SET total = total + 1 WHERE tenant_id = 1");
                Thread.sleep(200);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);

            assertThat(received).anySatisfy(b -> assertThat(b).contains("[FIRING")
                    .contains("check=stream-lag").contains("severity=critical").contains("tenant=acme"));
            // Configured time: 3 s of lag, 2 of 3 evaluations 0.5 s apart, 1 s group wait, 1 s ticks; plus room
            // for a loaded machine. A stream that never alerted would have failed the line above.
            assertThat(took).isLessThan(Duration.ofSeconds(15));
        } finally {
            hook.stop(0);
            // 'check lag' (CheckLagIT) reads every stream checkpoint on the shared sandbox servers: leave none behind.
            DataCommandIT.run("data", "uninstall", "-c", config.toString(), "acme");
        }
    }
}

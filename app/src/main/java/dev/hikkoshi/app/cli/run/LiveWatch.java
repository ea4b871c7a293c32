package dev.hikkoshi.app.cli.run;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import dev.hikkoshi.watch.alert.live.AlertService;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import dev.hikkoshi.watch.metrics.SignalMetrics;
import dev.hikkoshi.watch.notify.DeliveryPolicy;
import dev.hikkoshi.watch.signal.MoveSignals;
import dev.hikkoshi.watch.signal.SignalLoop;
import dev.hikkoshi.watch.signal.SignalsSection;
import dev.hikkoshi.watch.signal.StreamSignals;
import dev.hikkoshi.watch.signal.TrafficSignals;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The watch module wired to a running controller: the signal loop over its streams, moves and the routers'
 * traffic, feeding the live alert pipeline (when the config has an {@code alerts} section) and the Prometheus
 * gauges. {@code watch} sees these only through the core interfaces; this is where {@code app} connects them.
 */
final class LiveWatch implements AutoCloseable {
    private final Optional<AlertService> alerts;
    private final Optional<AuditLog> audit;
    private final SignalLoop loop;
    private final AutoCloseable moveEvents;

    private LiveWatch(Optional<AlertService> alerts, Optional<AuditLog> audit, SignalLoop loop, AutoCloseable moveEvents) {
        this.alerts = alerts;
        this.audit = audit;
        this.loop = loop;
        this.moveEvents = moveEvents;
    }

    static LiveWatch start(ConfigDocument document, StreamProgress streams, MoveEvents moves, TrafficWindow traffic,
                           MeterRegistry registry, Clock clock) {
        CommonConfig common = CommonConfig.bind(document.root());
        boolean alerting = document.root().get("alerts").isPresent();
        AlertsConfig config = alerting ? AlertsSection.bind(document.root().get("alerts"), common,
                AlertsSection.Secrets.RESOLVE) : null;
        SignalsSection.Bound signals = SignalsSection.bind(document.root().get("alerts").get("signals"));
        document.throwIfProblems();
        Optional<AuditLog> audit = Optional.empty();
        Optional<AlertService> service = Optional.empty();
        if (alerting) {
            AuditLog log = AuditLog.append(config.auditFile());
            audit = Optional.of(log);
            AlertService s = new AlertService(config, SilenceStore.open(config.silencesFile()), log, clock,
                    Duration.ofSeconds(1), DeliveryPolicy.SLACK, DeliveryPolicy.WEBHOOK);
            s.start();
            service = Optional.of(s);
        }
        SignalMetrics metrics = new SignalMetrics(Optional.of(streams), Optional.of(moves), clock);
        metrics.bindTo(registry);
        MoveSignals moveSignals = new MoveSignals(moves, signals.settings());
        List<Function<Instant, List<? extends PipelineInput>>> sources = new ArrayList<>();
        sources.add(new StreamSignals(streams, signals.settings())::evaluate);
        sources.add(moveSignals::evaluate);
        sources.add(new TrafficSignals(traffic, signals.settings(), Duration.ofMinutes(1))::evaluate);
        sources.add(now -> {
            metrics.refresh();
            return List.of();
        });
        Optional<AlertService> sink = service;
        SignalLoop loop = new SignalLoop(sources, input -> sink.ifPresent(a -> a.offer(input)), clock)
                .start(signals.interval());
        AutoCloseable events = moveSignals.forward(input -> sink.ifPresent(a -> a.offer(input)));
        return new LiveWatch(service, audit, loop, events);
    }

    /**
     * The silences on the controller's admin API, on the silence file the live pipeline reads
     * ({@code alerts.silences-file}, by default in the state directory).
     */
    static List<dev.hikkoshi.router.admin.AdminEndpoints> adminEndpoints(ConfigDocument document,
                                                                      dev.hikkoshi.cutover.control.AuditLog audit,
                                                                      Clock clock) {
        CommonConfig common = CommonConfig.bind(document.root());
        java.nio.file.Path file = document.root().get("alerts").get("silences-file").text().map(java.nio.file.Path::of)
                .orElse(SilenceStore.fileIn(common.stateDir()));
        return List.of(new SilenceEndpoints(SilenceStore.open(file), audit, clock));
    }

    @Override
    public void close() {
        loop.close();
        try {
            moveEvents.close();
        } catch (Exception e) {
            // the event bus closes with the controller anyway
        }
        alerts.ifPresent(AlertService::close);
        audit.ifPresent(AuditLog::close);
    }
}

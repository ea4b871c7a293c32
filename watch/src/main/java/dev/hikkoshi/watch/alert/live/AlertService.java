package dev.hikkoshi.watch.alert.live;

import dev.hikkoshi.watch.alert.AlertPipeline;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.TickDriver;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.route.Receiver;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import dev.hikkoshi.watch.notify.DeliveryPolicy;
import dev.hikkoshi.watch.notify.DeliveryProblem;
import dev.hikkoshi.watch.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live alert pipeline: inputs from signal sources (any thread), group timers fired from a ticker on the
 * injected {@link Clock}, messages handed to each receiver's notifiers (which deliver on their own threads), and
 * every suppression and delivery problem written to the audit consumer (the audit log in production).
 *
 * <p>Concurrency: {@link #offer} and {@link #tick} serialize on the service; neither waits for the network.
 * {@link #start} schedules {@link #tick} every {@code tick}; tests leave it unstarted and call {@link #tick} after
 * moving their clock, so a storm of simulated minutes takes milliseconds.
 */
public final class AlertService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);

    private final Clock clock;
    private final Duration tick;
    private final SilenceStore silences;
    private final Consumer<Suppression> audit;
    private final TickDriver driver;
    private final Map<String, List<Notifier>> notifiers = new HashMap<>();
    private ScheduledExecutorService ticker;

    public AlertService(AlertsConfig config, SilenceStore silences, Consumer<Suppression> audit, Clock clock,
                        Duration tick, DeliveryPolicy slackPolicy, DeliveryPolicy webhookPolicy) {
        this.clock = clock;
        this.tick = tick;
        this.silences = silences;
        this.audit = audit;
        AlertPipeline pipeline = new AlertPipeline(config, silences::snapshot, this::suppressed);
        this.driver = new TickDriver(pipeline, tick, this::deliver);
        for (Receiver r : config.receivers().values()) {
            List<Notifier> list = new ArrayList<>();
            r.slackWebhook().ifPresent(u -> list.add(Notifier.slack(r.name(), u, slackPolicy, this::undelivered)));
            r.webhook().ifPresent(u -> list.add(Notifier.webhook(r.name(), u, webhookPolicy, this::undelivered)));
            notifiers.put(r.name(), list);
        }
    }

    /** Starts the ticker thread (production); tests call {@link #tick} instead. */
    public synchronized void start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hikkoshi-alert-ticker");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes one input; it never waits for a notifier. */
    public synchronized void offer(PipelineInput input) {
        driver.offer(input);
    }

    /** Fires the group timers due by the clock's now (and picks up silences written by the CLI). */
    public synchronized void tick() {
        silences.refresh();
        driver.advanceTo(clock.instant());
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // The ticker must keep running: one bad tick (a damaged silence file) must not stop all alerting.
            log.error("alert pipeline tick failed; retrying at the next tick", e);
        }
    }

    private void deliver(Message m) {
        notifiers.getOrDefault(m.receiver(), List.of()).forEach(n -> n.send(m));
    }

    private void suppressed(Suppression s) {
        audit.accept(s);
    }

    private void undelivered(DeliveryProblem p) {
        audit.accept(new Suppression(clock.instant(), SuppressionReason.UNDELIVERED, p.channel(), p.receiver(),
                p.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + p.detail()));
    }

    /** Waits for every notifier to finish what it holds (tests, and an orderly shutdown). */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (List<Notifier> list : notifiers.values()) {
            for (Notifier n : list) {
                if (!n.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        notifiers.values().forEach(list -> list.forEach(Notifier::close));
    }
}

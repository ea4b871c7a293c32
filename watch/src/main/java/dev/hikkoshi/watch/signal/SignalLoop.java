package dev.hikkoshi.watch.signal;

import dev.hikkoshi.watch.alert.PipelineInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the polled signal sources every {@code interval} on one daemon thread and offers the results to the
 * alert pipeline. A source that throws (a database briefly unreachable) is logged and tried again at the next
 * evaluation; it never stops the others.
 */
public final class SignalLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalLoop.class);

    private final List<Function<Instant, List<? extends PipelineInput>>> sources;
    private final Consumer<PipelineInput> sink;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hikkoshi-signals");
        t.setDaemon(true);
        return t;
    });

    public SignalLoop(List<Function<Instant, List<? extends PipelineInput>>> sources, Consumer<PipelineInput> sink,
                      Clock clock) {
        this.sources = List.copyOf(sources);
        this.sink = sink;
        this.clock = clock;
    }

    public SignalLoop start(Duration interval) {
        timer.scheduleWithFixedDelay(this::evaluateOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One evaluation of every source (what the timer runs; tests call it directly). */
    public void evaluateOnce() {
        Instant now = clock.instant();
        for (Function<Instant, List<? extends PipelineInput>> source : sources) {
            try {
                source.apply(now).forEach(sink);
            } catch (RuntimeException e) {
                log.warn("a signal source failed, trying again at the next evaluation: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.hikkoshi.watch.alert;

import dev.hikkoshi.watch.alert.message.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Moves an {@link AlertPipeline} through time in whole ticks (multiples of {@code tick} since the epoch): group
 * timers are checked at each tick boundary, before the inputs stamped at that time. Both {@code alerts replay}
 * and the live service drive the pipeline through this class only, which is why they send the same messages for
 * the same inputs. Not thread-safe: the live service serializes calls.
 */
public final class TickDriver {
    /** The default tick: group timers fire to the second. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    private final AlertPipeline pipeline;
    private final long tickMillis;
    private final Consumer<Message> out;
    private Instant next;

    public TickDriver(AlertPipeline pipeline, Duration tick, Consumer<Message> out) {
        if (tick.isZero() || tick.isNegative()) {
            throw new IllegalArgumentException("tick must be positive, was " + tick);
        }
        this.pipeline = pipeline;
        this.tickMillis = tick.toMillis();
        this.out = out;
    }

    /** Fires the ticks up to the input's time, then hands the input to the pipeline. */
    public void offer(PipelineInput input) {
        advanceTo(input.time());
        pipeline.offer(input);
    }

    /** Fires every tick at or before {@code now}, sending their messages in order. */
    public void advanceTo(Instant now) {
        if (next == null) {
            long ms = now.toEpochMilli();
            next = Instant.ofEpochMilli(Math.floorDiv(ms + tickMillis - 1, tickMillis) * tickMillis);
        }
        while (!next.isAfter(now)) {
            pipeline.advanceTo(next).forEach(out);
            next = next.plusMillis(tickMillis);
        }
    }
}

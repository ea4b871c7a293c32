package dev.hikkoshi.watch.alert.replay;

import dev.hikkoshi.watch.alert.AlertPipeline;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.TickDriver;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.route.Route;
import dev.hikkoshi.watch.alert.silence.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a recorded event stream through a config's pipeline on simulated time and collects what it would send
 * and what it would hold back; {@code hikkoshi alerts replay} prints the result. Uses the same
 * {@link AlertPipeline} and {@link TickDriver} as the live service, with no notifier and no audit file.
 */
public final class Replay {
    private Replay() {
    }

    /** What a replay found: the messages in order, the suppressions, and the simulated span. */
    public record Result(Instant start, Instant end, List<Message> messages, List<Suppression> suppressions) {
        public Result {
            messages = List.copyOf(messages);
            suppressions = List.copyOf(suppressions);
        }
    }

    /**
     * Replays {@code inputs}; simulated time runs from the first input to {@code start + span} if given, else to
     * the last input plus the longest group wait and group interval (so the last updates and resolutions show).
     */
    public static Result run(AlertsConfig config, List<Silence> silences, List<PipelineInput> inputs,
                             java.util.Optional<Duration> span) {
        List<Message> messages = new ArrayList<>();
        List<Suppression> suppressions = new ArrayList<>();
        if (inputs.isEmpty()) {
            return new Result(Instant.EPOCH, Instant.EPOCH, messages, suppressions);
        }
        AlertPipeline pipeline = new AlertPipeline(config, () -> silences, suppressions::add);
        TickDriver driver = new TickDriver(pipeline, TickDriver.DEFAULT_TICK, messages::add);
        Instant start = inputs.get(0).time();
        Instant end = span.map(start::plus).orElseGet(() -> inputs.get(inputs.size() - 1).time()
                .plus(config.routes().stream().map(Route::groupWait).max(Duration::compareTo).orElse(Duration.ZERO))
                .plus(config.routes().stream().map(Route::groupInterval).max(Duration::compareTo).orElse(Duration.ZERO)));
        for (PipelineInput in : inputs) {
            if (in.time().isAfter(end)) {
                break;
            }
            driver.offer(in);
        }
        driver.advanceTo(end);
        return new Result(start, end, messages, suppressions);
    }
}

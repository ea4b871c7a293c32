package dev.hikkoshi.app.alerts;

import dev.hikkoshi.app.check.DurationConverter;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.message.MessageText;
import dev.hikkoshi.watch.alert.replay.EventFile;
import dev.hikkoshi.watch.alert.replay.Replay;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi alerts replay -c NEW EVENTS.jsonl}: runs a recorded event stream through a config's alert
 * pipeline on simulated time and prints every message it would send, with its simulated time, then a summary of
 * what it held back. Uses the live pipeline's code; sends nothing, so the webhook variables need not be set.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Prints exactly what an alert config would send for a recorded event stream (docs/watch.md).")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config to try")
    Path config;

    @Parameters(index = "0", paramLabel = "EVENTS", description = "the recorded events, one JSON object a line")
    Path events;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "simulated time from the first event (default: the last event plus the longest group"
                    + " wait and group interval)")
    Duration span;

    @Option(names = "--suppressions", description = "also print every suppression with its reason")
    boolean suppressions;

    @Option(names = "--with-silences", description = "apply the silences in the config's silence file")
    boolean withSilences;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        AlertsConfig alerts = AlertsConfigFile.read(config, AlertsSection.Secrets.NAMES_ONLY);
        List<PipelineInput> inputs = EventFile.read(events);
        Replay.Result r = Replay.run(alerts, withSilences ? SilenceStore.open(alerts.silencesFile()).snapshot() : List.of(),
                inputs, Optional.ofNullable(span));
        PrintWriter out = spec.commandLine().getOut();
        out.println("replaying " + MessageText.count(inputs.size()) + " inputs from " + r.start() + " to " + r.end()
                + " (+" + MessageText.elapsed(Duration.between(r.start(), r.end())) + ") through " + config);
        for (Message m : r.messages()) {
            out.print(MessageText.replayEntry(m, r.start()));
        }
        if (suppressions) {
            r.suppressions().forEach(s -> out.println("held: " + s));
        }
        Map<String, Long> perReceiver = r.messages().stream()
                .collect(Collectors.groupingBy(Message::receiver, TreeMap::new, Collectors.counting()));
        Map<String, Long> perReason = r.suppressions().stream()
                .collect(Collectors.groupingBy(s -> ConfigNode.spelling(s.reason()), TreeMap::new, Collectors.counting()));
        out.println(r.messages().size() + " message" + (r.messages().size() == 1 ? "" : "s") + " ("
                + (perReceiver.isEmpty() ? "none" : join(perReceiver)) + "); " + r.suppressions().size()
                + " suppression" + (r.suppressions().size() == 1 ? "" : "s")
                + (perReason.isEmpty() ? "" : " (" + join(perReason) + ")"));
        out.flush();
        return 0;
    }

    private static String join(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }
}

package dev.hikkoshi.app.alerts;

import dev.hikkoshi.app.check.DurationConverter;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.watch.alert.Matcher;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import dev.hikkoshi.watch.alert.silence.Silence;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi alerts silence add / list / expire}: silences with an expiry, kept in the silence file of the
 * state directory, which the live pipeline re-reads at its next tick.
 */
@Command(name = "silence", mixinStandardHelpOptions = true, description = "Adds, lists and expires silences.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
public final class SilenceCommand implements Runnable {
    /** The clock silences are judged on; tests replace it. */
    static Clock clock = Clock.systemUTC();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String describe(Silence s) {
        return s.id() + " " + s.matchers().stream().map(Matcher::toString).collect(Collectors.joining(" ")) + " from "
                + s.startsAt() + " until " + s.endsAt() + " by " + s.createdBy()
                + (s.comment().isEmpty() ? "" : ": " + s.comment());
    }

    private static SilenceStore store(Path config) {
        return SilenceStore.open(AlertsConfigFile.read(config, AlertsSection.Secrets.NAMES_ONLY).silencesFile());
    }

    /** {@code silence add -c FILE --match tenant=acme --for 2h [--comment TEXT]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Mutes alerts matching every --match until it expires.")
    static final class Add implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE")
        Path config;

        @Option(names = "--match", required = true, paramLabel = "LABEL=VALUE",
                description = "a label condition (=, != or =~regex); repeat for several")
        List<String> match;

        @Option(names = "--for", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
                description = "how long the silence lasts, such as 2h")
        Duration duration;

        @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "")
        String comment;

        @Option(names = "--by", paramLabel = "NAME", description = "who sets it (default: $USER)")
        String by;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<Matcher> matchers = new ArrayList<>();
            for (String m : match) {
                matchers.add(Matcher.parse(m).orElseThrow(() -> new UserException("--match " + m + " is not a label"
                        + " condition", "write " + Matcher.SYNTAX)));
            }
            Instant now = clock.instant();
            String who = by != null ? by : System.getenv().getOrDefault("USER", "unknown");
            Silence s = store(config).add(matchers, now, now.plus(duration), who, comment);
            PrintWriter out = spec.commandLine().getOut();
            out.println("added silence " + describe(s));
            out.flush();
            return 0;
        }
    }

    /** {@code silence list -c FILE [--all]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the active silences (--all: also ended ones).")
    static final class ListSilences implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE")
        Path config;

        @Option(names = "--all", description = "include silences that ended")
        boolean all;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Instant now = clock.instant();
            PrintWriter out = spec.commandLine().getOut();
            List<Silence> shown = store(config).snapshot().stream().filter(s -> all || !now.isAfter(s.endsAt())
                    && now.isBefore(s.endsAt())).toList();
            shown.forEach(s -> out.println((s.activeAt(now) ? "active " : now.isBefore(s.startsAt()) ? "pending " : "ended ")
                    + describe(s)));
            if (shown.isEmpty()) {
                out.println(all ? "no silences" : "no active silences");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code silence expire -c FILE ID}. */
    @Command(name = "expire", mixinStandardHelpOptions = true, description = "Ends a silence now.")
    static final class Expire implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE")
        Path config;

        @Parameters(index = "0", paramLabel = "ID", description = "the silence's id, as listed")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Silence s = store(config).expire(id, clock.instant());
            PrintWriter out = spec.commandLine().getOut();
            out.println("expired silence " + describe(s));
            out.flush();
            return 0;
        }
    }
}

package dev.hikkoshi.app.alerts;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hikkoshi alerts replay / log / silence}: try an alert config on recorded events, read the audit log, silence. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "The alert pipeline: replay recorded events, list suppressions, manage silences.",
        subcommands = {ReplayCommand.class, LogCommand.class, SilenceCommand.class})
public final class AlertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

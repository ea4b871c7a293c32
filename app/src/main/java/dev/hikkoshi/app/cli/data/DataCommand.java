package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.app.cli.control.PurgeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hikkoshi data}: the data engine by hand. Each subcommand is its own class listed here; the copy
 * and row verification commands join this list.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect, copy, verify and sync tenants' rows between the sites' databases.",
        subcommands = {DataInspectCommand.class, DataCopyCommand.class, DataVerifyCommand.class, DataSyncCommand.class,
                DataStatusCommand.class, DataUninstallCommand.class, DataResumeCommand.class, PurgeCommand.class})
public final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

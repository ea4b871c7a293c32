package dev.hikkoshi.app.check;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hikkoshi check ...}: check plugins for the monitors operators already run (Nagios, Mackerel): one status
 * line with performance data, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. {@code check lag} and
 * {@code check move} come with the change streams and the cutover engine.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check plugins (Nagios/Mackerel convention: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).",
        subcommands = {RouterCheckCommand.class, TenantCheckCommand.class, LagCheckCommand.class, MoveCheckCommand.class})
public final class CheckCommand implements java.util.concurrent.Callable<Integer>, PluginCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String service() {
        return "CHECK";
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("HIKKOSHI CHECK UNKNOWN - no check given (expected: router, tenant TENANT, lag or move)");
        return 3;
    }
}

package dev.hikkoshi.app.cli;

import dev.hikkoshi.app.alerts.AlertsCommand;
import dev.hikkoshi.app.check.CheckCommand;
import dev.hikkoshi.app.check.PluginCommand;
import dev.hikkoshi.app.config.ConfigCommand;
import dev.hikkoshi.app.cli.control.ControlCommands;
import dev.hikkoshi.app.cli.control.SharedCommand;
import dev.hikkoshi.app.cli.control.StatusCommand;
import dev.hikkoshi.app.cli.data.DataCommand;
import dev.hikkoshi.app.cli.plan.PlanCommand;
import dev.hikkoshi.app.cli.run.ControllerCommand;
import dev.hikkoshi.app.cli.run.RunCommand;
import dev.hikkoshi.app.demo.DemoCommand;
import dev.hikkoshi.core.UserException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code hikkoshi} command. Subjects are positional, options are flags, every command takes
 * {@code -c/--config FILE}. A {@link UserException} prints {@code error:} and {@code hint:} lines and exits 2;
 * any other failure is logged once with its stack and exits 1.
 */
@Command(name = "hikkoshi", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Moves a live multi-tenant web service to new infrastructure one tenant at a time.",
        subcommands = {RouterCommand.class, DataCommand.class, CheckCommand.class, AlertsCommand.class,
                DemoCommand.class, RunCommand.class, ControllerCommand.class, StatusCommand.class, ControlCommands.Apply.class, ControlCommands.Pause.class,
                ControlCommands.Resume.class, ControlCommands.Rollback.class, ControlCommands.Finalize.class,
                ControlCommands.Approve.class, PlanCommand.class, SharedCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class HikkoshiCommand implements Runnable {
    /** Exit code for a mistake the user can fix. */
    public static final int USER_ERROR = 2;
    /** Exit code for a bug or an infrastructure failure. */
    public static final int FAILURE = 1;

    private static final Logger log = LoggerFactory.getLogger(HikkoshiCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the process exit code. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new HikkoshiCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> commandLine.getCommand() instanceof PluginCommand p
                ? plugin(p, commandLine, "failed: " + ex) : report(ex, commandLine.getErr()));
        cl.setParameterExceptionHandler((ex, args) -> {
            if (ex.getCommandLine().getCommand() instanceof PluginCommand p) {
                return plugin(p, ex.getCommandLine(), ex.getMessage() + " (run '"
                        + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage)");
            }
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("hint: run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
            return USER_ERROR;
        });
        return cl;
    }

    /** Check plugins report usage errors and failures as UNKNOWN (exit 3), the plugin convention. */
    private static int plugin(PluginCommand p, CommandLine commandLine, String why) {
        PrintWriter out = commandLine.getOut();
        out.println("HIKKOSHI " + p.service() + " UNKNOWN - " + why.replace('|', '/').replace('\n', ' '));
        out.flush();
        return 3;
    }

    static int report(Exception ex, PrintWriter err) {
        UserException user = userCause(ex);
        if (user != null) {
            err.println("error: " + user.getMessage());
            err.println("hint: " + user.hint());
            err.flush();
            return USER_ERROR;
        }
        log.error("hikkoshi failed: {}", ex.toString(), ex);
        err.println("error: " + ex + " (a bug or an infrastructure failure; the log has the details)");
        err.flush();
        return FAILURE;
    }

    private static UserException userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserException u) {
                return u;
            }
        }
        return null;
    }
}

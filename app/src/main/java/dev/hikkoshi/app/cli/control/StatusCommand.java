package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.cutover.control.ControllerJson;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hikkoshi status -c FILE [--json]}: every move as the controller knows it, and whether the plan is paused. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every tenant's move: state, age, sites, freeze time, last verdict, problem, and what a"
                + " rollback would lose.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ControllerOptions options;

    @Option(names = "--json", description = "print the controller's status document (as GET /status serves it)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ControllerStatus status = options.client().status();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ControllerJson.write(ControllerJson.status(status)));
        } else {
            StatusTable.lines(status, Instant.now()).forEach(out::println);
            SharedCommand.lines(options.client().sharedWriters()).forEach(out::println);
        }
        out.flush();
        return 0;
    }
}

package dev.hikkoshi.app.check;

import dev.hikkoshi.watch.check.RouterCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hikkoshi check router}: the routers are up, agree on the table, and their 5xx rate and p99 are fine. */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Checks the routers' health, table version agreement, 5xx rate and p99 latency.")
public final class RouterCheckCommand implements Callable<Integer>, PluginCommand {
    @CommandLine.Mixin
    RouterOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String service() {
        return "ROUTER";
    }

    @Override
    public Integer call() {
        return RouterOptions.print(service(), spec.commandLine().getOut(),
                () -> RouterCheck.run(options.routers(), options.options()));
    }
}

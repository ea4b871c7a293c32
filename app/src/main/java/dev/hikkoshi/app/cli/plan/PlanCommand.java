package dev.hikkoshi.app.cli.plan;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlanFile;
import dev.hikkoshi.cutover.plan.PlanSummary;
import dev.hikkoshi.cutover.plan.Planner;
import dev.hikkoshi.cutover.plan.ThroughputSample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.MDC;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi plan -c FILE -o PLAN}: works out what {@code hikkoshi apply PLAN} will do (waves with explicit
 * tenants, sizes, estimated copy, final-sync and freeze times from a throughput measured against the real servers,
 * refusals, preflight in both directions), prints it and writes the plan file with the fingerprint apply checks.
 * Exit 0 when the plan is written, refused tenants included; 2 for a user error.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Work out what apply will do: waves, sizes, estimated copy and freeze times, preflight; write PLAN.")
public final class PlanCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PLAN", description = "the plan file to write")
    Path output;

    @Option(names = "--throughput-sample", hidden = true, paramLabel = "ROWS_PER_S,BYTES_PER_S",
            description = "use this copy throughput instead of measuring it (tests, or a link measured elsewhere)")
    String throughputSample;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        MDC.put("component", "plan");
        Optional<ThroughputSample> given = sample(throughputSample);
        PrintWriter out = spec.commandLine().getOut();
        try (Planner planner = Planner.open(ConfigDocument.read(config), Clock.systemUTC())) {
            Plan plan = planner.plan(given, PlanRouters.read(config, System.getenv()));
            PlanFile.write(output, plan);
            out.print(PlanSummary.render(plan, planner.rollbackLine()));
            out.println("plan written to " + output + " (id " + plan.id().substring(0, 12) + ")");
            out.flush();
        }
        return 0;
    }

    /** {@code ROWS_PER_S,BYTES_PER_S}, both positive numbers. */
    static Optional<ThroughputSample> sample(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(",", -1);
        try {
            if (parts.length == 2) {
                double rows = Double.parseDouble(parts[0].trim());
                double bytes = Double.parseDouble(parts[1].trim());
                if (rows > 0 && bytes > 0 && Double.isFinite(rows) && Double.isFinite(bytes)) {
                    return Optional.of(ThroughputSample.given(rows, bytes));
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new UserException("--throughput-sample " + text + " is not ROWS_PER_S,BYTES_PER_S",
                "give two positive numbers, such as --throughput-sample 5000,2000000");
    }
}

package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.ScopeException;
import dev.hikkoshi.data.scope.ScopeProblem;
import dev.hikkoshi.data.scope.ScopeReport;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TargetTableCreator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi data verify --schema -c FILE [--create-missing]}: checks that every table in scope exists on
 * the target with columns that can hold the source's values, creating missing tables on request. Every
 * problem is reported at once (exit 2). Row verification is added here by the verification engine.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that the target can hold the source's data: --schema compares both sites' schemas.")
public final class DataVerifyCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Option(names = "--schema", description = "compare the schemas of every table in scope")
    boolean schema;

    @Option(names = "--create-missing", description = "with --schema: create tables missing on the target from the source's definition")
    boolean createMissing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!schema) {
            throw new UserException("data verify needs --schema: row verification is not available yet",
                    "run 'hikkoshi data verify --schema -c FILE' to compare the schemas");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataContext data = options.open(2)) {
            ScopeReport report = data.inspectScope();
            List<Table> inScope = report.scope().tables().stream().map(TableScope::table).toList();
            List<Table> missing = TargetTableCreator.missing(inScope, data.targetSchema());
            if (createMissing && !missing.isEmpty() && report.errors().isEmpty()) {
                List<String> created = new TargetTableCreator(data.source(), data.target()).create(missing);
                out.println("created on the target: " + String.join(", ", created));
                report = data.inspectScope();
                missing = TargetTableCreator.missing(inScope, data.targetSchema());
            }
            List<ScopeProblem> problems = new ArrayList<>(report.errors());
            missing.forEach(t -> problems.add(TargetTableCreator.missingProblem(t.name())));
            if (!problems.isEmpty()) {
                throw new ScopeException("the schema check of " + data.source().describe() + " against "
                        + data.target().describe(), problems);
            }
            Schema target = data.targetSchema();
            out.println("schemas compatible: " + report.scope().tables().size() + " tables in scope exist on "
                    + data.target().describe() + " (" + target.tables().size() + " tables there) and can hold the source's values");
        }
        return 0;
    }
}

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
import dev.hikkoshi.data.verify.Verifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data verify --schema -c FILE [--create-missing]}: checks that every table in scope exists on
 * the target with columns that can hold the source's values, creating missing tables on request. Every
 * problem is reported at once (exit 2). {@code hikkoshi data verify -c FILE [TENANT | --all] [--table NAME]... [--repair]}
 * compares the rows ({@link RowVerification}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Prove the target's rows equal to the source's: one TENANT's rows, or every row with --all"
                + " (--table: only the tables named); --repair re-copies the rows that differ.",
                "--schema instead compares both sites' schemas."})
public final class DataVerifyCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Option(names = "--schema", description = "compare the schemas of every table in scope")
    boolean schema;

    @Option(names = "--create-missing", description = "with --schema: create tables missing on the target from the source's definition")
    boolean createMissing;

    @Parameters(arity = "0..1", paramLabel = "TENANT", description = "verify this tenant's rows")
    String tenant;

    @Option(names = "--all", description = "verify every row of every table in scope")
    boolean all;

    @Option(names = "--repair", description = "re-copy the rows that differ, then check them again")
    boolean repair;

    @Option(names = "--table", paramLabel = "NAME", description = "verify only this table (repeatable), such as a shared"
            + " table with --all, so that a repair touches nothing else")
    List<String> tables = new ArrayList<>();

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "20000", description = "rows per checksummed chunk (default: ${DEFAULT-VALUE})")
    int chunkRows;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "chunks verified at once (default: ${DEFAULT-VALUE})")
    int parallel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!schema) {
            return verifyRows();
        }
        if (tenant != null || all || repair || !tables.isEmpty()) {
            throw new UserException("--schema compares schemas only: it takes no TENANT, --all, --table or --repair",
                    "run 'hikkoshi data verify -c FILE --schema', then 'hikkoshi data verify -c FILE TENANT' for the rows");
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

    private int verifyRows() {
        if ((tenant == null) == !all) {
            throw new UserException(tenant == null ? "data verify needs a TENANT, --all or --schema"
                    : "give either a TENANT or --all, not both",
                    "run 'hikkoshi data verify -c FILE acme' for one tenant's rows, with --all for every row,"
                            + " or with --schema to compare the schemas");
        }
        if (chunkRows < 1 || parallel < 1 || parallel > 64) {
            throw new UserException("--chunk-rows " + chunkRows + " --parallel " + parallel + " is out of range",
                    "give --chunk-rows of at least 1 and --parallel from 1 to 64");
        }
        // Each chunk reads both sides at once; the key walk and repair need one more connection each.
        try (DataContext data = options.open(3 * parallel + 2)) {
            return RowVerification.run(data, java.util.Optional.ofNullable(tenant), tables, repair,
                    new Verifier.Options(chunkRows, parallel), spec.commandLine().getOut());
        }
    }
}

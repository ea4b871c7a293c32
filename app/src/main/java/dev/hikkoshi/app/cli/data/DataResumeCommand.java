package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hikkoshi data resume -c FILE}: after an operator applied the same schema change on both sites,
 * re-inspects both schemas (any difference is refused with every problem listed) and clears the stop of the
 * streams that a DDL stopped, so that {@code hikkoshi data sync} continues them from their checkpoints.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Re-inspect both schemas and release the streams a schema change stopped.")
public final class DataResumeCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DataContext data = options.open(2)) {
            data.inspectScope().orThrow();
            try (Connection c = data.target().dataSource().getConnection()) {
                List<StreamCheckpoints.Checkpoint> stopped = StreamCheckpoints.all(c).stream()
                        .filter(cp -> cp.stream().startsWith(data.source().schema() + "/"))
                        .filter(cp -> cp.stoppedBy().isPresent()).toList();
                if (stopped.isEmpty()) {
                    out.println("no stream is stopped");
                }
                for (StreamCheckpoints.Checkpoint cp : stopped) {
                    StreamCheckpoints.release(c, cp.stream());
                    out.println("released " + cp.stream() + " at " + cp.position().text()
                            + ": continue it with 'hikkoshi data sync -c FILE TENANT'");
                }
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("releasing stopped streams", "the target", e);
        }
    }
}

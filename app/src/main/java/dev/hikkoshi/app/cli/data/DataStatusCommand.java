package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hikkoshi data status -c FILE}: the change streams checkpointed on the target, read from the target
 * itself (so it works from any process): position, lag behind the source commit time of the last applied
 * transaction (rising when a stream stopped applying), changes applied, and why a stream stopped.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the change streams checkpointed on the target.")
public final class DataStatusCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DataContext data = options.open(2); Connection c = data.target().dataSource().getConnection()) {
            String prefix = data.source().schema() + "/";
            List<StreamCheckpoints.Checkpoint> all = StreamCheckpoints.all(c).stream()
                    .filter(cp -> cp.stream().startsWith(prefix)).toList();
            if (all.isEmpty()) {
                out.println("no change streams of schema " + data.source().schema() + " on " + data.target().describe());
            }
            Instant now = Instant.now();
            for (StreamCheckpoints.Checkpoint cp : all) {
                String lag = cp.coveredBefore().map(t -> String.format(Locale.ROOT, "lag %.0f s",
                        Math.max(0, Duration.between(t, now).toMillis() / 1000.0))).orElse("nothing applied yet");
                out.println(String.format(Locale.ROOT, "%s at %s: %s, %,d changes applied%s", cp.stream(),
                        cp.position().text(), lag, cp.appliedChanges(), cp.stoppedBy().map(s -> ", STOPPED: " + s).orElse("")));
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("reading the change streams", "the target", e);
        }
    }
}

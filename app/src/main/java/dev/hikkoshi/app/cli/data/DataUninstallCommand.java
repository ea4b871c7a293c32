package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.stream.Captures;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import dev.hikkoshi.data.trigger.TriggerCapture;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data uninstall -c FILE TENANT|--all}: removes what hikkoshi installed for the tenant's streams
 * (or every stream): the capture's own objects on the source (through the capture), the streams' checkpoints
 * on the target. Copied rows stay.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Remove what hikkoshi installed for a tenant's change streams (or all with --all).")
public final class DataUninstallCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Parameters(arity = "0..1", paramLabel = "TENANT", description = "the tenant whose streams to remove")
    String tenant;

    @Option(names = "--all", description = "remove every stream and the capture's objects")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((tenant == null) == !all) {
            throw new UserException(tenant == null ? "data uninstall needs a TENANT or --all"
                    : "give either a TENANT or --all, not both",
                    "run 'hikkoshi data uninstall -c FILE acme' for one tenant, or '--all' for everything");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataContext data = options.open(2)) {
            String prefix = data.source().schema() + "/";
            // Only this source and target site's streams: the checkpoint table is shared by every target schema
            // of the target server, and a stream to another site whose checkpoint went would, at its next start,
            // note the source's position anew and never carry what changed before it.
            String pair = StreamId.betweenSites(data.source().config().site(), data.target().config().site());
            try (Connection c = data.target().dataSource().getConnection()) {
                List<String> streams = StreamCheckpoints.all(c).stream().map(StreamCheckpoints.Checkpoint::stream)
                        .filter(s -> all ? s.startsWith(prefix) && s.endsWith(pair) : s.equals(prefix
                                + new StreamId(data.tenant(tenant).id(), data.source().config().site(),
                                data.target().config().site()))).toList();
                TriggerCapture triggers = data.source().config().capture() == CaptureMode.TRIGGERS
                        ? Captures.triggers(data, data.inspectScope().orThrow()) : null;
                for (String s : streams) {
                    StreamCheckpoints.forget(c, s);
                    if (triggers != null) {
                        triggers.forget(s); // what only this stream held back in the change log may now be purged
                    }
                    out.println("removed stream " + s);
                }
                boolean othersLeft = StreamCheckpoints.all(c).stream().anyMatch(cp -> cp.stream().startsWith(prefix)
                        && cp.position() instanceof CapturePosition.ChangeLog);
                // The trigger capture's triggers and change log serve every stream of the schema that reads the
                // change log: they go with the last one. The binlog and differential captures install nothing on
                // the source.
                if (!othersLeft && triggers != null) {
                    int removed = triggers.uninstall();
                    out.println("removed " + removed + " trigger capture objects from " + data.source().describe());
                }
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("removing change streams", "the target", e);
        }
    }
}

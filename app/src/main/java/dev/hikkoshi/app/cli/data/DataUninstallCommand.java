package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.stream.StreamId;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data uninstall -c FILE TENANT|--all [--force]}: removes what hikkoshi installed for the tenant's
 * streams (or every stream between the two sites): the streams' checkpoints on the target, their consumer records
 * on the source, and the trigger capture's objects once nothing else reads them (see {@link #removeUnlessRead}).
 * Copied rows stay.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = {"Remove what hikkoshi installed for a tenant's change streams (or all with --all).",
                "Not for a tenant a move is carrying: its finalize or rollback cleans up, and its noted position"
                        + " would go from under its stream."})
public final class DataUninstallCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Parameters(arity = "0..1", paramLabel = "TENANT", description = "the tenant whose streams to remove")
    String tenant;

    @Option(names = "--all", description = "remove every stream of the two sites, and the capture's objects unless"
            + " other streams read them")
    boolean all;

    @Option(names = "--force", description = "remove the trigger capture's objects even while other streams read them"
            + " (those streams no longer get the source's changes)")
    boolean force;

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
            Predicate<String> chosen = all ? s -> s.startsWith(prefix) && s.endsWith(pair)
                    : (prefix + new StreamId(data.tenant(tenant).id(), data.source().config().site(),
                    data.target().config().site()))::equals;
            TriggerCapture triggers = data.source().config().capture() == CaptureMode.TRIGGERS
                    ? Captures.triggers(data, data.inspectScope().orThrow()) : null;
            try (Connection c = data.target().dataSource().getConnection()) {
                Set<String> streams = new TreeSet<>();
                StreamCheckpoints.all(c).stream().map(StreamCheckpoints.Checkpoint::stream).filter(chosen)
                        .forEach(streams::add);
                if (triggers != null) {
                    // A stream noted to start later (a move copying its tenant) holds the change log before it has
                    // a checkpoint.
                    triggers.consumers().stream().filter(chosen).forEach(streams::add);
                }
                for (String s : streams) {
                    StreamCheckpoints.forget(c, s);
                    if (triggers != null) {
                        triggers.forget(s); // what only this stream held back in the change log may now be purged
                    }
                    out.println("removed stream " + s);
                }
                if (triggers != null) {
                    removeUnlessRead(triggers, data.source().describe(), out);
                }
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            throw new DatabaseException("removing change streams", "the target", e);
        }
    }

    /**
     * The triggers and change log serve every stream and watch that reads the change log, in any process and into
     * any target, running or only noted to start: each records itself on the source (the same rule as a finalize's,
     * and the one the purge follows). The capture goes with the last of them, or at once with {@code --force},
     * which leaves the rest without the changes made from then on. The binlog and differential captures install
     * nothing on the source.
     */
    private void removeUnlessRead(TriggerCapture triggers, String source, PrintWriter out) {
        List<String> readers = triggers.consumers();
        if (!readers.isEmpty() && !force) {
            out.println("kept the trigger capture on " + source + ": still read by " + String.join(", ", readers)
                    + "; it goes with the last of them (a stream with hikkoshi data uninstall --to ITS_SITE TENANT,"
                    + " a move's watch with its finalize or rollback), or now with --force");
            return;
        }
        int removed = triggers.uninstall();
        out.println("removed " + removed + " trigger capture objects from " + source + (readers.isEmpty() ? ""
                : " (--force: " + String.join(", ", readers) + " get no more changes from it; remove each such stream"
                + " with hikkoshi data uninstall --to ITS_SITE TENANT before syncing its tenant again, or it resumes"
                + " at its old change-log position in the new log)"));
    }
}

package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one-way sync of shared tables ({@code data.tables.NAME.shared: {writer: SITE}}): every row of the shared
 * tables written on the writer site is carried to another site by the {@link TenantStream} machinery (one
 * stream for all of them, not per tenant: the source re-read has no tenant predicate), and the other site is
 * watched by a {@link BypassWatch} that reports any write hikkoshi did not make there, with table and key. For
 * the cutover engine and the data commands (neither wires it yet).
 *
 * <p>The stream is listed, checkpointed and lagged under the pseudo-tenant {@link #LISTED_AS}
 * ({@code shop/shared-tables:legacy->cloud}), because a {@link StreamId} names a tenant; a real tenant of that
 * name would share its checkpoint row.
 */
public final class SharedTableStream {
    /** The name the shared-table stream is listed under in place of a tenant. */
    public static final TenantId LISTED_AS = TenantId.of("shared-tables");

    private SharedTableStream() {
    }

    /** The shared tables of {@code scope} whose writer is {@code writer}, in scope order. */
    public static List<TableScope> writtenOn(TenantScope scope, SiteId writer) {
        return scope.tables().stream()
                .filter(t -> t.tableClass() instanceof TableClass.Shared s && s.writer().equals(writer)).toList();
    }

    /** The setup of the stream from {@code writer}'s database ({@code source}) to {@code other}'s ({@code target}). */
    public static TenantStream.Setup setup(SiteId writer, SiteId other, CopyEndpoint source, CopyEndpoint target,
                                           TenantScope scope, Schema targetSchema, CharsetOverrides overrides,
                                           StreamSettings settings) {
        return new TenantStream.Setup(new StreamId(LISTED_AS, writer, other), source, target, scope, targetSchema, "",
                overrides, false, settings);
    }

    /**
     * Starts carrying the shared tables written on the setup's source site, from its checkpoint or {@code from}
     * (noted before the shared tables were copied). Refused when no shared table is written there.
     */
    public static TenantStream start(TenantStream.Setup setup, ChangeCapture capture, CapturePosition from) {
        SiteId writer = setup.id().from();
        List<TableScope> tables = writtenOn(setup.scope(), writer);
        if (tables.isEmpty()) {
            throw new UserException("no shared table is written on site " + writer + ": there is nothing to sync from"
                    + " it to site " + setup.id().to(), "start the shared-table sync from the site named by"
                    + " data.tables.NAME.shared.writer");
        }
        return TenantStream.start(setup, tables, capture, from);
    }

    /**
     * Watches {@code site}, which is not the writer of {@code scope}'s shared tables written on {@code writer}, from
     * {@code from}: every write to them there that hikkoshi did not make is reported to {@code listener} (without a
     * tenant), and how far it read is saved in {@code positions} ({@link #watchPositions}).
     */
    public static BypassWatch watchNonWriter(TenantScope scope, SiteId writer, SiteId site, ChangeCapture capture,
                                             CapturePosition from, WatchPositions positions,
                                             Consumer<BypassWrite> listener) {
        if (site.equals(writer)) {
            throw new IllegalArgumentException("site " + site + " is the writer of the shared tables: its writes are"
                    + " the ones to sync, not to report");
        }
        Set<String> names = new LinkedHashSet<>();
        writtenOn(scope, writer).forEach(t -> names.add(t.name()));
        return BypassWatch.sharedTables(site, names, capture, from, positions, listener);
    }

    /**
     * Where the watch of {@code site} against {@code writer} over {@code schema} keeps how far it read: on the writer's
     * site ({@code writerSite}), whose own writes the watch does not read, under the writer's name and the capture
     * mode, so that a position saved while another site was the writer, or in another capture's notation, is never
     * resumed from (a watch started at a switch replaces the row at once).
     */
    public static WatchPositions watchPositions(javax.sql.DataSource writerSite, String schema, SiteId writer,
                                                SiteId site, String captureMode) {
        return new WatchPositions(writerSite, schema + "/" + BypassWatch.sharedTablesConsumer(site),
                "writer " + writer.value() + " by " + captureMode);
    }
}

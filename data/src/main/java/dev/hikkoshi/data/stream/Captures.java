package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.differential.DifferentialCapture;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.trigger.TriggerCapture;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.data.verify.VerifyTables;

/**
 * Opens the change capture a source site's config asks for ({@code sites.NAME.database.capture}), ready to note
 * a position: the binlog tailer (preconditions checked), the trigger capture (triggers installed), or the
 * checksum differential over the tenant's tables. Never another mode than the one configured. Used by
 * {@code hikkoshi data sync} and {@code data uninstall}.
 */
public final class Captures {
    private Captures() {
    }

    /** The capture of {@code data}'s source in its configured mode, for {@code tenant}'s tables of {@code scope}. */
    public static ChangeCapture open(DataContext data, TenantScope scope, Tenant tenant) {
        CaptureMode mode = data.source().config().capture();
        return switch (mode) {
            case BINLOG -> BinlogTailer.open(data.source(), data.source().inspector().inspect(data.source().schema()));
            case TRIGGERS -> {
                TriggerCapture triggers = triggers(data, scope);
                triggers.install();
                yield triggers;
            }
            case DIFFERENTIAL -> new DifferentialCapture(new Verifier(side(data, true), side(data, false),
                    Verifier.Options.defaults()), VerifyTables.forTenant(scope, data.targetSchema(), tenant,
                    data.source().config(), data.target().config()), DifferentialCapture.Options.of(
                    data.source().config().differential()));
        };
    }

    /** The trigger capture of {@code data}'s source without installing anything (for uninstall). */
    public static TriggerCapture triggers(DataContext data, TenantScope scope) {
        return new TriggerCapture(ScopeCopy.endpoint(data.source()), scope, data.source().config()::charsetOverride,
                TriggerCapture.Options.defaults());
    }

    private static VerifySide side(DataContext data, boolean source) {
        var db = source ? data.source() : data.target();
        return new VerifySide(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }
}

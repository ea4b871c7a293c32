package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.plan.PreflightFinding.Severity;
import dev.hikkoshi.cutover.safety.AutoIncrementCheck;
import dev.hikkoshi.data.binlog.BinlogPreconditions;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.scope.ScopeProblem;
import dev.hikkoshi.data.scope.ScopeReport;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.stream.ReversePreflight;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plan's preflight in both directions, each check done by the code that guards it at run time (so that plan
 * and apply cannot disagree): the scope's problems; the capture's prerequisites of the site each direction reads
 * (binlog: {@link BinlogPreconditions}, server and {@code server_id}); interleaved auto-increment
 * ({@link AutoIncrementCheck}); the reverse sync's blockers and what a rollback would lose
 * ({@link ReversePreflight}, per planned tenant); tables a move never carries back (shared, skipped); planned
 * tenants whose long-lived requests would keep a freeze from draining ({@link LongRequestCheck}, from the
 * routers' traffic). Trigger privileges are checked only when the triggers are installed at COPYING: said as a
 * warning.
 */
final class Preflight {
    private final SiteScopes scopes;
    private final SiteId from;
    private final SiteId to;
    private final LongRequestCheck longRequests;
    private final List<PreflightFinding> findings = new ArrayList<>();

    Preflight(SiteScopes scopes, SiteId from, SiteId to, LongRequestCheck longRequests) {
        this.scopes = scopes;
        this.from = from;
        this.to = to;
        this.longRequests = longRequests;
    }

    /** Every finding, forward direction first; {@code tenants}: the planned tenants (for rollback losses). */
    List<PreflightFinding> run(List<Tenant> tenants) {
        findings.clear();
        TenantScope forward = scope(from, to);
        capture(from, to);
        autoIncrement(forward);
        findings.addAll(longRequests.check(tenants.stream().map(Tenant::id).toList(), from, to));
        scope(to, from);
        capture(to, from);
        rollbackLosses(forward, tenants);
        return List.copyOf(findings);
    }

    private TenantScope scope(SiteId source, SiteId target) {
        ScopeReport report = scopes.report(source, target);
        for (ScopeProblem p : report.errors()) {
            add(source, target, Severity.ERROR, "table " + p.table() + ": " + p.message() + " (fix: " + p.fix() + ")");
        }
        for (ScopeProblem p : report.scope().warnings()) {
            add(source, target, Severity.WARNING, "table " + p.table() + ": " + p.message());
        }
        if (report.errors().isEmpty()) {
            add(source, target, Severity.OK, "scope: " + report.scope().tables().size() + " tables ("
                    + report.scope().perTenantTables().size() + " per tenant)");
        }
        return report.scope();
    }

    private void capture(SiteId source, SiteId target) {
        SiteDatabase db = scopes.database(source);
        CaptureMode mode = db.config().capture();
        switch (mode) {
            case BINLOG -> {
                BinlogPreconditions binlog = new BinlogPreconditions(db);
                long serverId = db.config().serverId().orElse(BinlogTailer.DEFAULT_SERVER_ID);
                if (check(source, target, binlog::checkServer)
                        && check(source, target, () -> binlog.checkServerId(serverId))) {
                    add(source, target, Severity.OK, "binlog capture on " + db.describe() + ": log_bin on, ROW format,"
                            + " privileges, server-id " + serverId + " unused");
                }
            }
            case TRIGGERS -> add(source, target, Severity.WARNING, "trigger capture on " + db.describe() + ": its"
                    + " privileges (TRIGGER, SUPER before MySQL 5.1.6) are checked when the triggers are installed at"
                    + " COPYING, not now");
            case DIFFERENTIAL -> add(source, target, Severity.OK, "differential capture on " + db.describe()
                    + ": needs only SELECT; its final pass checksums the whole tenant inside the freeze");
        }
    }

    private void autoIncrement(TenantScope forward) {
        AutoIncrementCheck check = new AutoIncrementCheck(AutoIncrementCheck.Side.of(scopes.database(from)),
                AutoIncrementCheck.Side.of(scopes.database(to)));
        try {
            AutoIncrementCheck.Interleaving i = check.check(forward.tableNames());
            add(from, to, Severity.OK, "auto-increment interleaved: " + from + " " + i.from() + ", " + to + " " + i.to()
                    + " (" + i.tablesChecked().size() + " tables checked)");
        } catch (UserException e) {
            add(from, to, Severity.ERROR, e.getMessage() + " (fix: " + e.hint() + ")");
        } catch (SQLException e) {
            add(from, to, Severity.ERROR, "auto-increment settings could not be read: " + SiteDatabase.driverMessage(e));
        }
    }

    private void rollbackLosses(TenantScope forward, List<Tenant> tenants) {
        for (TableScope t : forward.tables()) {
            if (t.tableClass() instanceof TableClass.Shared s) {
                add(to, from, Severity.WARNING, "table " + t.name() + " is shared (written on " + s.writer()
                        + " only): a rollback carries none of its rows");
            }
        }
        for (String skipped : forward.skipped()) {
            add(to, from, Severity.WARNING, "table " + skipped + " is skipped: neither a move nor a rollback carries it");
        }
        SiteDatabase newSite = scopes.database(to);
        SiteDatabase oldSite = scopes.database(from);
        Set<String> blockers = new LinkedHashSet<>();
        Set<String> losses = new LinkedHashSet<>();
        for (Tenant tenant : tenants) {
            ReversePreflight.Report r = ReversePreflight.check(ScopeCopy.endpoint(newSite), scopes.schema(to),
                    newSite.config().capture(), ScopeCopy.endpoint(oldSite), scopes.schema(from), forward,
                    tenant.databaseId());
            blockers.addAll(r.blockers());
            losses.addAll(r.losses());
        }
        blockers.forEach(b -> add(to, from, Severity.ERROR, "reverse sync: " + b));
        losses.forEach(l -> add(to, from, Severity.WARNING, "a rollback would lose: " + l));
        if (blockers.isEmpty() && losses.isEmpty()) {
            add(to, from, Severity.OK, "a rollback carries every in-scope column back");
        }
    }

    private boolean check(SiteId source, SiteId target, Runnable check) {
        try {
            check.run();
            return true;
        } catch (UserException e) {
            add(source, target, Severity.ERROR, e.getMessage() + " (fix: " + e.hint() + ")");
            return false;
        }
    }

    private void add(SiteId source, SiteId target, Severity severity, String text) {
        findings.add(new PreflightFinding(source, target, severity, text));
    }
}

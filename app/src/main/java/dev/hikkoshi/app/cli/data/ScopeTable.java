package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.data.config.JoinHop;
import dev.hikkoshi.data.scope.ScopeProblem;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Prints a tenant scope as a table (one line per table) and its warnings; used by the data commands. */
final class ScopeTable {
    private ScopeTable() {
    }

    /** How a table's class reads in the listing. */
    static String describe(TableClass tableClass) {
        if (tableClass instanceof TableClass.TenantColumn tc) {
            return "tenant column " + tc.column();
        }
        if (tableClass instanceof TableClass.JoinPath jp) {
            return "join path " + jp.hops().stream().map(JoinHop::toString).collect(Collectors.joining(", "))
                    + " (" + jp.tenantColumn() + ")";
        }
        if (tableClass instanceof TableClass.Shared s) {
            return "shared, written on " + s.writer().value();
        }
        return "whole table";
    }

    /** Prints the listing; {@code rows} gives each table's row figure under the {@code rowsHeader} column. */
    static void print(PrintWriter out, TenantScope scope, String rowsHeader, ToLongFunction<TableScope> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"TABLE", "CLASS", "KEY", rowsHeader});
        for (TableScope t : scope.tables()) {
            lines.add(new String[] {t.name(), describe(t.tableClass()),
                    t.rowKey().name() + " (" + String.join(", ", t.rowKey().columns()) + ")",
                    String.format("%,d", rows.applyAsLong(t))});
        }
        for (String skipped : scope.skipped()) {
            lines.add(new String[] {skipped, "skipped", "", ""});
        }
        int[] widths = new int[4];
        for (String[] line : lines) {
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            out.println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %" + widths[3] + "s",
                    (Object[]) line).stripTrailing());
        }
        List<ScopeProblem> warnings = scope.warnings();
        if (!warnings.isEmpty()) {
            out.println();
            out.println(warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s") + ":");
            warnings.forEach(w -> out.println("  " + w.describe()));
        }
    }
}

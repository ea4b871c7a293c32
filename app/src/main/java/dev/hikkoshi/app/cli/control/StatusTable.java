package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code hikkoshi status}'s table: one line for the plan (running, or paused and why), then one row per move
 * with its tenant, wave, state (and attempt after the first), age in that state, sites, freeze time, last
 * rollback-line verdict, problem and what a rollback would lose now, in columns as wide as their widest cell.
 */
final class StatusTable {
    private static final String[] HEADERS = {"TENANT", "WAVE", "STATE", "AGE", "SITES", "FREEZE", "LAST VERDICT",
            "PROBLEM", "A ROLLBACK WOULD LOSE"};

    private StatusTable() {
    }

    static List<String> lines(ControllerStatus status, Instant now) {
        List<String> out = new ArrayList<>();
        out.add(status.paused() ? "plan: PAUSED (" + status.pauseReason().orElse("no reason given") + ")"
                : status.waiting().map(w -> "plan: " + w).orElse("plan: running"));
        if (status.moves().isEmpty()) {
            out.add("no moves: the plan has no tenants yet");
            return out;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (MoveStatus m : status.moves()) {
            rows.add(new String[]{m.tenant().value(), m.wave(),
                    m.state().name() + (m.attempt() > 1 ? " #" + m.attempt() : ""), age(m.age(now)),
                    m.from().value() + " -> " + m.to().value(),
                    m.freezeTime().map(f -> String.format(Locale.ROOT, "%,d ms", f.toMillis())).orElse("-"),
                    m.lastVerdict().orElse("-"), m.problem().orElse("-"),
                    status.rollbackLoss(m.tenant()).orElse("-")});
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row[i]));
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    /** 12s, 1m35s, 2h05m, 3d04h: short, and never negative when clocks differ a little. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}

package dev.hikkoshi.data.scope;

import java.util.Objects;

/**
 * One finding of the scope check about one table: what is wrong and how to fix it. Errors stop a move;
 * warnings are printed by {@code hikkoshi data inspect} and {@code plan}. The texts are API (docs/data.md).
 */
public record ScopeProblem(String table, Severity severity, String message, String fix) {
    /** Errors refuse the scope; warnings do not. */
    public enum Severity {
        ERROR, WARNING
    }

    public ScopeProblem {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    static ScopeProblem error(String table, String message, String fix) {
        return new ScopeProblem(table, Severity.ERROR, message, fix);
    }

    static ScopeProblem warning(String table, String message, String fix) {
        return new ScopeProblem(table, Severity.WARNING, message, fix);
    }

    /** Two lines: the message, then the fix. */
    public String describe() {
        return message + "\n    fix: " + fix;
    }
}

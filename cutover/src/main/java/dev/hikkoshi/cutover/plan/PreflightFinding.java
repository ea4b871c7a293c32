package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.routing.SiteId;
import java.util.Objects;

/**
 * One result of the plan's preflight for one direction ({@code from} -> {@code to}: the move's, or the reverse
 * sync's that a rollback needs): what was checked and what was found, in words. An {@link Severity#ERROR} means
 * the move or its rollback would fail as the servers are now; {@code apply} refuses a plan that has one.
 */
public record PreflightFinding(SiteId from, SiteId to, Severity severity, String text) {
    /** How much a finding matters. */
    public enum Severity {
        /** Checked and fine. */
        OK,
        /** Not checked, or a loss a rollback would suffer: an operator should read it. */
        WARNING,
        /** The move or its rollback would fail. */
        ERROR
    }

    public PreflightFinding {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(text, "text");
    }

    /** {@code legacy -> cloud}. */
    public String direction() {
        return from + " -> " + to;
    }
}

package dev.hikkoshi.cutover.hook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one hook run ended: its exit code (empty when it timed out and was killed, or could not start), the tail
 * of its output and how long it took. The caller turns a {@link #failure()} of a before-freeze hook into an
 * abort, and of the other hooks into a notice.
 *
 * @param output       the last lines of its output (stdout and stderr together), at most
 *                     {@link HookRunner#TAIL_LINES}
 * @param startProblem why the command could not be started, if it could not
 */
public record HookResult(HookPoint point, String command, OptionalInt exitCode, boolean timedOut, Duration timeout,
                         Duration took, List<String> output, Optional<String> startProblem) {
    public HookResult {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(took, "took");
        output = List.copyOf(output);
        Objects.requireNonNull(startProblem, "startProblem");
    }

    public boolean succeeded() {
        return exitCode.isPresent() && exitCode.getAsInt() == 0;
    }

    /** The last non-blank line of output, if any. */
    public Optional<String> lastLine() {
        for (int i = output.size() - 1; i >= 0; i--) {
            if (!output.get(i).isBlank()) {
                return Optional.of(output.get(i).strip());
            }
        }
        return Optional.empty();
    }

    /**
     * One line naming the hook, how it ended and its last output line, when it did not succeed:
     * {@code before-freeze hook "stop-workers.sh" exited with 3; last output: "queue unreachable"}.
     */
    public Optional<String> failure() {
        if (succeeded()) {
            return Optional.empty();
        }
        String how;
        if (startProblem.isPresent()) {
            how = "could not start: " + startProblem.get();
        } else if (timedOut) {
            how = "timed out after " + dev.hikkoshi.core.config.DurationText.format(timeout) + " and was killed";
        } else {
            how = "exited with " + exitCode.getAsInt();
        }
        String last = lastLine().map(l -> "last output: \"" + l + "\"").orElse("no output");
        return Optional.of(point.spelling() + " hook \"" + command + "\" " + how + "; " + last);
    }
}

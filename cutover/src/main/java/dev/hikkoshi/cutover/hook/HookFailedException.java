package dev.hikkoshi.cutover.hook;

import java.util.Objects;

/**
 * A hook that had to succeed did not (a before-freeze hook): thrown by {@link HookRunner#runOrThrow} from the
 * step that runs it, so that the runner aborts the move with the message as its one-line reason.
 */
public class HookFailedException extends RuntimeException {
    private final transient HookResult result;

    public HookFailedException(HookResult result) {
        super(result.failure().orElseThrow(() -> new IllegalArgumentException("the hook succeeded")));
        this.result = Objects.requireNonNull(result, "result");
    }

    public HookResult result() {
        return result;
    }
}

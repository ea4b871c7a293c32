package dev.hikkoshi.core;

import java.util.Objects;

/**
 * A mistake the user can fix (bad config, unknown tenant, a server setting): the CLI prints
 * {@code error: <message>} and {@code hint: <hint>} without a stack trace and exits with code 2.
 * Anything that is not a {@code UserException} is treated as a bug or an infrastructure failure.
 */
public class UserException extends RuntimeException {
    private final String hint;

    public UserException(String message, String hint) {
        super(Objects.requireNonNull(message, "message"));
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    public UserException(String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    /** How to fix it, one line. */
    public String hint() {
        return hint;
    }
}

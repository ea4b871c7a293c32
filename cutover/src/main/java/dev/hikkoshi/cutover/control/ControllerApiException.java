package dev.hikkoshi.cutover.control;

/**
 * The controller's admin API answered something {@link ControllerClient} cannot use (a server error, a
 * document it cannot read): a bug or a version mismatch, not an operator's mistake.
 */
public class ControllerApiException extends RuntimeException {
    public ControllerApiException(String message, Throwable cause) {
        super(message, cause);
    }
}

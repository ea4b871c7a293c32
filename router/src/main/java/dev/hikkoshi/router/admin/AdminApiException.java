package dev.hikkoshi.router.admin;

/**
 * A router's admin API could not be reached or answered with an error; the message names the router's admin
 * URL, the request and what went wrong. Thrown by {@link HttpRouterControl} and {@link HttpTrafficWindow}.
 */
public class AdminApiException extends RuntimeException {
    private final int status;

    AdminApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the router answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}

package dev.hikkoshi.sandbox.shop;

/** A request the shop application refuses, with the HTTP status and the one-line message it answers. */
final class RejectedRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    RejectedRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}

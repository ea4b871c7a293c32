package dev.hikkoshi.router.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Thrown inside {@link HeadParser} and {@link StrictHttpDecoder} when a message breaks framing rules. */
final class FramingException extends Exception {
    private final HttpResponseStatus status;

    FramingException(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    FramingFailure failure() {
        return new FramingFailure(status, getMessage());
    }
}

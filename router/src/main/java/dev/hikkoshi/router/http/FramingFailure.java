package dev.hikkoshi.router.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What {@link StrictHttpDecoder} passes down the pipeline instead of a message it refused: the status to
 * answer (for a client's request) and why. After it the decoder discards all input; the connection must be
 * closed by whoever receives this.
 */
public record FramingFailure(HttpResponseStatus status, String reason) {
}

package dev.hikkoshi.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A response the proxy makes itself (refusals, upstream failures, timeouts): a short plain-text body
 * {@code "<code> <reason>: <message>\n"}, the request id, and {@code Connection: close} when the
 * connection ends with it.
 */
final class LocalResponse {
    private static final io.netty.util.AsciiString TEXT_PLAIN = io.netty.util.AsciiString.cached("text/plain; charset=utf-8");
    private static final byte[] NEWLINE = {'\n'};

    private LocalResponse() {
    }

    static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, String message,
                               Duration retryAfter, boolean close, String via) {
        String text = status.code() + " " + status.reasonPhrase() + (message == null ? "" : ": " + message);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = alloc.buffer(bytes.length + 1).writeBytes(bytes).writeBytes(NEWLINE);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (via != null) {
            response.headers().set(HttpHeaderNames.VIA, via);
        }
        if (retryAfter != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}

package dev.hikkoshi.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adapts an upstream response's framing to its client (RFC 9112 section 6): a body delimited by the
 * upstream's close is re-chunked for an HTTP/1.1 client, so the client's connection survives; an HTTP/1.0
 * client cannot take chunked, so it gets the body unchunked and the connection closes after it.
 */
final class ResponseFraming {
    private ResponseFraming() {
    }

    /**
     * @param close whether the client connection was already going to close
     * @return whether the client connection closes after this response ({@code Connection: close} is set)
     */
    static boolean adapt(HttpResponse response, HttpMethod method, boolean clientHttp10, boolean close) {
        HttpHeaders h = response.headers();
        int code = response.status().code();
        boolean noBody = method == HttpMethod.HEAD || code == 204 || code == 304;
        boolean chunked = h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        if (!noBody && !chunked && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientHttp10) {
                close = true;
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } else if (chunked && clientHttp10) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            close = true;
        }
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return close;
    }
}

package dev.hikkoshi.router.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, told when the response answers a HEAD request: its head then keeps
 * Content-Length or Transfer-Encoding but no body or chunk terminator may follow (RFC 9110 9.3.2).
 * Pipeline position: the client channel's only encoder, written to by {@link Exchange}.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {
    private boolean headRequest;

    void answeringHead(boolean head) {
        this.headRequest = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return headRequest || super.isContentAlwaysEmpty(msg);
    }
}

package dev.hikkoshi.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The response half of an {@link Exchange}: relays the upstream's response head and body to the client,
 * forwards 1xx interim responses as RFC 9110 asks, switches both sides to raw bytes after an asked-for 101,
 * adapts the framing for the client, and pauses the upstream while the client cannot keep up. Created by
 * its exchange and called only from it, on the client channel's event loop.
 */
final class ResponseRelay {
    private final Exchange x;
    private final Channel channel;
    private boolean interim;
    private boolean relayInterim;

    ResponseRelay(Exchange exchange) {
        this.x = exchange;
        this.channel = exchange.channel;
    }

    /** A response head, a piece of body, or raw bytes after a 101; the relay owns it. */
    void relay(Object message) {
        if (message instanceof HttpResponse response) {
            head(response);
        } else if (message instanceof HttpContent content) {
            content(content);
        } else if (message instanceof ByteBuf bytes) {
            x.bytesOut += bytes.readableBytes();
            channel.write(bytes, channel.voidPromise());
            if (!channel.isWritable()) {
                x.upstream.channel().config().setAutoRead(false);
            }
        }
    }

    private void head(HttpResponse response) {
        int code = response.status().code();
        if (code < 200 && code != 101) {
            // RFC 9110 15.2: a proxy forwards 1xx responses, except to an HTTP/1.0 client.
            interim = true;
            relayInterim = !x.clientHttp10;
            if (relayInterim) {
                x.ctx.headers.response(response, false);
                channel.writeAndFlush(response, channel.voidPromise());
            }
            return;
        }
        x.status = code;
        x.upstreamNanos = System.nanoTime() - x.upstreamStartNanos;
        x.ctx.upstreams.responded(x.attempts.current(), code);
        if (code == 101) {
            if (!x.upgradeRequest) {
                x.upstreamReusable = false;
                x.upstream.close();
                x.upstream = null;
                x.respondLocal(HttpResponseStatus.BAD_GATEWAY, "upstream switched protocols unasked", null);
                return;
            }
            upgrade(response);
            return;
        }
        if (!x.requestSent) {
            // An early response (413, 401 before the body): relay it, but this upstream connection is out of
            // step and the client's unread body makes its connection unusable too.
            x.upstreamReusable = false;
            if (!x.requestComplete) {
                x.clientClose = true;
            }
        }
        if (!HttpUtil.isKeepAlive(response)) {
            x.upstreamReusable = false;
        }
        x.ctx.headers.response(response, false);
        x.clientClose = ResponseFraming.adapt(response, x.method, x.clientHttp10, x.clientClose || x.ctx.draining);
        x.client.encoder().answeringHead(x.method == HttpMethod.HEAD);
        x.responseStarted = true;
        channel.write(response, channel.voidPromise());
    }

    private void content(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            if (relayInterim && last) {
                channel.write(content, channel.voidPromise());
            } else {
                content.release();
            }
            interim = !last;
            return;
        }
        if (x.phase == ExchangePhase.UPGRADED) {
            content.release();
            return;
        }
        x.bytesOut += content.content().readableBytes();
        channel.write(content, channel.voidPromise());
        if (last) {
            x.responseComplete = true;
            channel.flush();
            if (!x.requestSent) {
                x.upstreamReusable = false;
            }
            x.finishIfDone();
        } else if (!channel.isWritable()) {
            x.upstream.channel().config().setAutoRead(false);
        }
    }

    private void upgrade(HttpResponse response) {
        x.moveTo(ExchangePhase.UPGRADED);
        x.responseStarted = true;
        x.upstreamReusable = false;
        x.ctx.headers.response(response, true);
        x.client.encoder().answeringHead(false);
        channel.write(response, channel.voidPromise());
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        x.upstream.upgraded();
        x.client.upgraded();
    }
}

package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * The request half of an {@link Exchange}: keeps the body pieces that arrive before an upstream connection
 * is there, then writes the head and the body to the upstream, pausing the client while the upstream cannot
 * take more; after a 101 it passes the client's raw bytes on. Created by its exchange and called only from
 * it, on the client channel's event loop.
 */
final class RequestForwarder {
    private final Exchange x;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);
    private long pendingBytes;

    RequestForwarder(Exchange exchange) {
        this.x = exchange;
    }

    /** Body bytes kept in memory until an upstream connection takes them. */
    long pendingBytes() {
        return pendingBytes;
    }

    /** Writes the head and every kept piece of body to a newly acquired connection, then flushes. */
    void send(UpstreamConnection connection) {
        Channel up = connection.channel();
        up.write(x.request, up.voidPromise());
        HttpContent content;
        while ((content = pending.poll()) != null) {
            write(content);
        }
        pendingBytes = 0;
        up.flush();
        if (!x.requestComplete) {
            x.client.setAutoRead(up.isWritable());
        }
    }

    /** A piece of the request body (or its end) from the client. */
    void content(HttpContent content) {
        x.bytesIn += content.content().readableBytes();
        switch (x.phase) {
            case ROUTING, HELD, CONNECTING -> {
                pending.add(content);
                pendingBytes += content.content().readableBytes();
            }
            case FORWARDING -> {
                if (x.responseStarted) {
                    // An early response: the rest of the body is not sent.
                    content.release();
                } else {
                    write(content);
                    if (!x.upstream.channel().isWritable()) {
                        x.client.setAutoRead(false);
                    }
                }
            }
            case LOCAL, UPGRADED, DONE -> content.release();
        }
    }

    /** The request is to be sent again on another connection: its (empty) end goes with the head. */
    void resendEnd() {
        pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Raw bytes from the client after a 101. */
    void raw(ByteBuf bytes) {
        if (x.phase == ExchangePhase.UPGRADED && x.upstream != null) {
            x.lastActivityNanos = System.nanoTime();
            Channel up = x.upstream.channel();
            up.writeAndFlush(bytes, up.voidPromise());
            if (!up.isWritable()) {
                x.client.setAutoRead(false);
            }
        } else {
            bytes.release();
        }
    }

    /** The end of a read from the client: what was written to the upstream goes out. */
    void flush() {
        if (x.upstream != null && (x.phase == ExchangePhase.FORWARDING || x.phase == ExchangePhase.UPGRADED)) {
            x.upstream.channel().flush();
        }
    }

    /** Releases the body pieces still kept (the exchange ended without sending them). */
    void discard() {
        HttpContent content;
        while ((content = pending.poll()) != null) {
            content.release();
        }
        pendingBytes = 0;
    }

    private void write(HttpContent content) {
        Channel up = x.upstream.channel();
        up.write(content, up.voidPromise());
        x.lastActivityNanos = System.nanoTime();
        if (content instanceof LastHttpContent) {
            x.requestSent = true;
            x.sentNanos = x.lastActivityNanos;
        }
    }
}

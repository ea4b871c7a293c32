package dev.hikkoshi.router.upstream;

import dev.hikkoshi.router.http.FramingFailure;
import dev.hikkoshi.router.http.StrictHttpDecoder;
import dev.hikkoshi.router.route.UpstreamTarget;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * One TCP connection to an upstream, owned by an {@link UpstreamPool} and lent to one exchange at a time.
 * Its handler (last in the pipeline, after {@link StrictHttpDecoder} in response mode and Netty's request
 * encoder) passes everything to the current {@link UpstreamListener}; anything arriving while no exchange
 * holds it closes the connection.
 *
 * <p>Release: the exchange calls {@link #release()} when its response ended well; the connection goes back
 * to the pool only at the end of the current read ({@code channelReadComplete}), after the decoder has seen
 * every byte of that read, so bytes trailing a response in the same read close it instead of being handed
 * to the next request.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final UpstreamTarget target;
    /** The target's {@code host:port}, made once per connection rather than once per request. */
    private final String authority;
    private final StrictHttpDecoder decoder;
    private Channel channel;
    private UpstreamListener listener;
    private boolean releasePending;
    private boolean closing;
    long idleSinceNanos;

    UpstreamConnection(UpstreamPool pool, UpstreamTarget target, StrictHttpDecoder decoder) {
        this.pool = pool;
        this.target = target;
        this.authority = target.authority();
        this.decoder = decoder;
    }

    public UpstreamTarget target() {
        return target;
    }

    /** {@code host:port} of the upstream (the access log's {@code upstream} field). */
    public String authority() {
        return authority;
    }

    public Channel channel() {
        return channel;
    }

    /** Lends the connection to an exchange; the response to a {@code method} request may now be decoded. */
    public void attach(UpstreamListener exchange, HttpMethod method) {
        this.listener = exchange;
        decoder.expect(method);
        // The previous exchange may have paused reading for back-pressure when its client was slow.
        channel.config().setAutoRead(true);
    }

    /** The request was an upgrade that succeeded: no more HTTP encoding on this connection. */
    public void upgraded() {
        if (channel.pipeline().get(HttpRequestEncoder.class) != null) {
            channel.pipeline().remove(HttpRequestEncoder.class);
        }
    }

    /** The exchange ended with a complete, well-framed response: return to the pool after this read. */
    public void release() {
        listener = null;
        releasePending = true;
        // Idle in the pool it must keep reading, so a close or stray bytes from the upstream are seen at once.
        channel.config().setAutoRead(true);
        if (!channel.isActive()) {
            close();
        }
    }

    /** Returns a connection acquired but never used (its request went away meanwhile) to the pool now. */
    public void giveBack() {
        listener = null;
        releasePending = false;
        pool.returned(this);
    }

    /** The exchange is abandoned or the connection is unusable: close it. */
    public void close() {
        listener = null;
        releasePending = false;
        if (!closing) {
            closing = true;
            channel.close();
        }
    }

    void bind(Channel ch) {
        this.channel = ch;
    }

    boolean usable() {
        return !closing && channel.isActive() && listener == null && !releasePending;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener current = listener;
        if (current == null) {
            ReferenceCountUtil.release(msg);
            close();
            return;
        }
        if (msg instanceof FramingFailure) {
            // The exchange reacts (502 or a cut response); the connection is never reused.
            closing = true;
            listener = null;
            current.upstreamRead(msg);
            channel.close();
            return;
        }
        current.upstreamRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        if (current != null) {
            current.upstreamReadComplete();
        }
        if (releasePending) {
            releasePending = false;
            pool.returned(this);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        if (current != null) {
            current.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePending = false;
        UpstreamListener current = listener;
        listener = null;
        pool.closed(this);
        if (current != null) {
            current.upstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener current = listener;
        listener = null;
        closing = true;
        ctx.close();
        if (current != null) {
            current.upstreamClosed(cause);
        }
    }

    @Override
    public String toString() {
        return authority + (channel == null ? "" : " " + channel.localAddress());
    }
}

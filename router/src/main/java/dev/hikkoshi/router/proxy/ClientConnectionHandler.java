package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.http.FramingFailure;
import dev.hikkoshi.router.http.StrictHttpDecoder;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: starts an {@link Exchange} per request, one at a time (the decoder pauses after
 * each request, so pipelined requests are answered in order), answers requests the decoder refused and
 * closes, and enforces the header read (408) and keep-alive idle timeouts between exchanges.
 * Pipeline position: last, after {@link StrictHttpDecoder} (request mode) and {@link ClientResponseEncoder}.
 */
final class ClientConnectionHandler extends ChannelInboundHandlerAdapter {
    static final Logger LOG = LoggerFactory.getLogger(ClientConnectionHandler.class);

    private final ProxyContext ctx;
    private final StrictHttpDecoder decoder;
    private final ClientResponseEncoder encoder;
    private final UpstreamPool pool;
    private Channel channel;
    private InetSocketAddress peer;
    private String peerAddress;
    private Exchange current;
    private boolean closing;
    private long idleSinceNanos;
    private ScheduledFuture<?> timer;

    ClientConnectionHandler(ProxyContext ctx, StrictHttpDecoder decoder, ClientResponseEncoder encoder,
                            UpstreamPool pool) {
        this.ctx = ctx;
        this.decoder = decoder;
        this.encoder = encoder;
        this.pool = pool;
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress peer() {
        return peer;
    }

    /** The TCP peer's address as text, for X-Forwarded-For. */
    String peerAddress() {
        return peerAddress;
    }

    UpstreamPool pool() {
        return pool;
    }

    ClientResponseEncoder encoder() {
        return encoder;
    }

    void setAutoRead(boolean on) {
        if (!closing) {
            channel.config().setAutoRead(on);
        }
    }

    /** A 101 was relayed: from now on the client's bytes are passed on raw. */
    void upgraded() {
        channel.pipeline().remove(encoder);
        decoder.switchToRaw();
        channel.config().setAutoRead(true);
        decoder.resume();
    }

    /** Whether this connection sits between requests (stopAccepting closes such connections). */
    boolean idle() {
        return current == null && decoder.idle();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        channel = context.channel();
        peer = (InetSocketAddress) channel.remoteAddress();
        peerAddress = peer.getAddress().getHostAddress();
        idleSinceNanos = System.nanoTime();
        schedule(ctx.minTimeoutNanos);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        Exchange exchange = current;
        if (exchange != null) {
            if (msg instanceof HttpContent content) {
                exchange.requestContent(content);
            } else if (msg instanceof ByteBuf bytes) {
                exchange.clientRaw(bytes);
            } else if (msg instanceof FramingFailure failure) {
                exchange.clientFailed(failure);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (closing) {
            // The connection ends with the previous response; nothing after it is answered.
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof HttpRequest request) {
            current = new Exchange(this, ctx, request);
            current.start();
        } else if (msg instanceof FramingFailure failure) {
            refuse(failure.status(), failure.reason());
        } else {
            // Leftovers of a request whose exchange already ended on a closing connection.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (current != null) {
            current.flushUpstream();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (current != null) {
            current.clientWritabilityChanged(channel.isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        cancelTimer();
        if (current != null) {
            current.clientClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("client connection {} failed", peer, cause);
        context.close();
    }

    /** Called by the exchange when it is over; the next request (perhaps already buffered) may start. */
    void exchangeDone(Exchange exchange, boolean close, ExchangeRecord record) {
        if (current == exchange) {
            current = null;
        }
        report(record);
        if (close || closing) {
            closing = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        channel.flush();
        idleSinceNanos = System.nanoTime();
        channel.config().setAutoRead(true);
        decoder.resume();
    }

    /** Closes the connection if it sits between requests; used when the server drains. */
    void closeIfIdle() {
        if (idle() && !closing) {
            closing = true;
            channel.close();
        }
    }

    private void refuse(HttpResponseStatus status, String reason) {
        closing = true;
        FullHttpResponse response = LocalResponse.of(channel.alloc(), status, reason, null, true, ctx.via);
        long bytes = response.content().readableBytes();
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        report(new ExchangeRecord(Instant.now(), ctx.nextRequestId(), "-", "-", "", "-", "-", status.code(), 0,
                bytes, 0, 0, 0));
    }

    private void report(ExchangeRecord record) {
        try {
            ctx.observer.completed(record);
        } catch (RuntimeException e) {
            LOG.error("exchange observer failed for request {}", record.requestId(), e);
        }
    }

    /**
     * One timer per connection, never cancelled on the request path: it re-arms itself for the nearest
     * deadline, never later than the shortest timeout, so a deadline set meanwhile is never missed and no
     * request pays for scheduling and cancelling timers.
     */
    private void schedule(long delayNanos) {
        timer = channel.eventLoop().schedule(this::onTimer, Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (closing || !channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        long next;
        if (current != null) {
            next = current.checkTimeouts(now);
        } else {
            long headStarted = decoder.headStartedNanos();
            if (headStarted != 0) {
                next = headStarted + ctx.headerReadTimeoutNanos;
                if (now >= next) {
                    refuse(HttpResponseStatus.REQUEST_TIMEOUT, "request head not received in time");
                    return;
                }
            } else {
                next = idleSinceNanos + ctx.clientIdleTimeoutNanos;
                if (now >= next) {
                    closing = true;
                    channel.close();
                    return;
                }
            }
        }
        if (!closing && channel.isActive()) {
            schedule(Math.min(next - now, ctx.minTimeoutNanos));
        }
    }
}

package dev.hikkoshi.router.upstream;

import dev.hikkoshi.router.http.HttpLimits;
import dev.hikkoshi.router.http.StrictHttpDecoder;
import dev.hikkoshi.router.route.UpstreamTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one event loop: per upstream a bounded set of connections, idle ones reused
 * most-recently-used first and closed after the idle timeout, and a bounded queue of requests waiting for
 * one. The proxy creates one pool per event loop and binds every client connection to its loop's pool.
 *
 * <p>Concurrency: every method runs on {@link #eventLoop()}; upstream channels are registered on that same
 * loop, so a client connection and its upstream connection never cross threads and the pool needs no lock.
 * The per-upstream connection limit is therefore split evenly between the event loops.
 */
public final class UpstreamPool {
    /** Everything the pool needs to open and keep connections. */
    public record Settings(Duration connectTimeout, Duration idleTimeout, int maxConnections, int maxPending,
                           int writeBufferHighWaterBytes, HttpLimits responseLimits) {
    }

    private final EventLoop loop;
    private final Settings settings;
    private final Bootstrap bootstrap;
    private final Map<UpstreamTarget, Host> hosts = new HashMap<>();
    private final long idleNanos;
    private ScheduledFuture<?> sweeper;
    private boolean closed;

    public UpstreamPool(EventLoop loop, Class<? extends Channel> channelType, Settings settings) {
        this.loop = loop;
        this.settings = settings;
        this.idleNanos = settings.idleTimeout().toNanos();
        int high = settings.writeBufferHighWaterBytes();
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high));
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Gives a connection to {@code target}: an idle pooled one when {@code allowPooled}, else a new one, or
     * waits for one to be returned. The callback runs on this loop, possibly before this method returns.
     */
    public void acquire(UpstreamTarget target, boolean allowPooled, AcquireCallback callback) {
        Host host = host(target);
        if (closed) {
            callback.failed(AcquireCallback.AcquireFailure.CONNECT_FAILED, new IllegalStateException("pool closed"));
            return;
        }
        if (allowPooled) {
            UpstreamConnection idle = host.takeIdle(System.nanoTime());
            if (idle != null) {
                callback.acquired(idle, true);
                return;
            }
        }
        if (host.open < settings.maxConnections()) {
            connect(host, callback);
        } else if (host.waiting.size() < settings.maxPending()) {
            host.waiting.add(new Waiter(callback, loop.schedule(() -> timedOut(host, callback),
                    settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS)));
        } else {
            callback.failed(AcquireCallback.AcquireFailure.POOL_EXHAUSTED, null);
        }
    }

    /** The target's bookkeeping, made on first use (no capturing lambda per request, as computeIfAbsent takes). */
    private Host host(UpstreamTarget target) {
        Host host = hosts.get(target);
        if (host == null) {
            host = new Host(target);
            hosts.put(target, host);
        }
        return host;
    }

    /** Idle connections per upstream (for tests and diagnostics). */
    public int idleCount(UpstreamTarget target) {
        Host host = hosts.get(target);
        return host == null ? 0 : host.idle.size();
    }

    /** Open connections per upstream, idle and busy. */
    public int openCount(UpstreamTarget target) {
        Host host = hosts.get(target);
        return host == null ? 0 : host.open;
    }

    /** Closes every idle connection and refuses new acquisitions; busy ones close with their exchange. */
    public void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Host host : hosts.values()) {
            UpstreamConnection c;
            while ((c = host.idle.pollLast()) != null) {
                c.close();
            }
        }
    }

    private void connect(Host host, AcquireCallback callback) {
        host.open++;
        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.RESPONSE, settings.responseLimits());
        UpstreamConnection connection = new UpstreamConnection(this, host.target, decoder);
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                connection.bind(ch);
                ch.pipeline().addLast(decoder, new HttpRequestEncoder(), connection);
            }
        }).connect(host.target.host(), host.target.port());
        f.addListener(done -> {
            if (done.isSuccess()) {
                callback.acquired(connection, false);
            } else {
                host.open--;
                callback.failed(AcquireCallback.AcquireFailure.CONNECT_FAILED, done.cause());
                serveWaiter(host);
            }
        });
    }

    /** Called by a connection whose exchange ended well, at the end of the read that ended it. */
    void returned(UpstreamConnection connection) {
        Host host = hosts.get(connection.target());
        if (closed || !connection.usable() || host == null) {
            connection.close();
            return;
        }
        Waiter waiter = host.waiting.poll();
        if (waiter != null) {
            waiter.timeout.cancel(false);
            waiter.callback.acquired(connection, true);
            return;
        }
        connection.idleSinceNanos = System.nanoTime();
        host.idle.addLast(connection);
        if (sweeper == null) {
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), idleNanos / 4);
            sweeper = loop.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /** Called once per connection when its channel closed. */
    void closed(UpstreamConnection connection) {
        Host host = hosts.get(connection.target());
        if (host == null) {
            return;
        }
        host.idle.remove(connection);
        host.open--;
        serveWaiter(host);
    }

    private void serveWaiter(Host host) {
        if (!closed && host.open < settings.maxConnections()) {
            Waiter waiter = host.waiting.poll();
            if (waiter != null) {
                waiter.timeout.cancel(false);
                connect(host, waiter.callback);
            }
        }
    }

    private void timedOut(Host host, AcquireCallback callback) {
        if (host.waiting.removeIf(w -> w.callback == callback)) {
            callback.failed(AcquireCallback.AcquireFailure.POOL_EXHAUSTED, null);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Host host : hosts.values()) {
            while (!host.idle.isEmpty() && now - host.idle.peekFirst().idleSinceNanos >= idleNanos) {
                host.idle.pollFirst().close();
            }
        }
    }

    private final class Host {
        final UpstreamTarget target;
        final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        int open;

        Host(UpstreamTarget target) {
            this.target = target;
        }

        UpstreamConnection takeIdle(long now) {
            UpstreamConnection c;
            while ((c = idle.pollLast()) != null) {
                if (now - c.idleSinceNanos < idleNanos && c.usable()) {
                    return c;
                }
                c.close();
            }
            return null;
        }
    }

    private record Waiter(AcquireCallback callback, ScheduledFuture<?> timeout) {
    }
}

package dev.hikkoshi.router.proxy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.router.accesslog.AccessLog;
import dev.hikkoshi.router.http.HttpLimits;
import dev.hikkoshi.router.http.StrictHttpDecoder;
import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.RequestRouter;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.TenantGate;
import dev.hikkoshi.router.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's client-facing HTTP/1.1 listener: accepts connections, validates each request's framing, asks
 * the {@link RequestRouter} and the {@link TenantGate} where and when it goes, and streams it to an upstream
 * picked from {@link SiteUpstreams}; every finished exchange goes to the {@link ExchangeObserver} (and to the
 * access log when {@link ProxySettings#accessLog()}). The router assembly creates one and drives its life:
 * {@link #start()}, then on SIGTERM {@link #stopAccepting()}, {@link #awaitInFlight(Instant)}, {@link #close()}.
 *
 * <p>Threads: one event-loop group (io_uring or epoll when available, see {@link Transport}) serves client
 * and upstream connections; each loop has its own {@link UpstreamPool}, and a client connection only ever
 * uses its own loop's pool.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxySettings settings;
    private final ProxyContext context;
    private final ChannelGroup clients = new DefaultChannelGroup("hikkoshi-clients", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private Map<EventLoop, UpstreamPool> pools;
    private Channel server;
    private Transport transport;
    private volatile boolean closed;

    public ProxyServer(ProxySettings settings, RequestRouter router, TenantGate gate, SiteUpstreams upstreams,
                       ExchangeObserver observer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(observer, "observer");
        ExchangeObserver all = settings.accessLog() ? AccessLog.alongside(observer) : observer;
        this.context = new ProxyContext(settings, Objects.requireNonNull(router, "router"),
                Objects.requireNonNull(gate, "gate"), Objects.requireNonNull(upstreams, "upstreams"), all);
    }

    /**
     * Binds the listen address and starts serving; returns once bound.
     *
     * @throws UserException when the address cannot be bound (in use, not local)
     */
    public synchronized void start() {
        if (group != null) {
            throw new IllegalStateException("proxy already started");
        }
        transport = Transport.firstAvailableFrom(settings.transport());
        // One loop per core: a proxy's loops never block, and more loops than cores only add switches.
        int threads = settings.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : settings.ioThreads();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("hikkoshi-proxy"),
                transport.ioHandlerFactory());
        Class<? extends ServerChannel> serverType = transport.serverChannel();
        Class<? extends Channel> clientType = transport.socketChannel();
        int loops = 0;
        for (EventExecutor ignored : group) {
            loops++;
        }
        UpstreamPool.Settings poolSettings = new UpstreamPool.Settings(settings.connectTimeout(),
                settings.upstreamIdleTimeout(), (settings.maxConnectionsPerUpstream() + loops - 1) / loops,
                settings.maxPendingAcquires(), settings.writeBufferHighWaterBytes(),
                new HttpLimits(settings.maxInitialLineBytes(), Math.max(settings.maxHeaderBytes(), 64 * 1024),
                        Math.max(settings.maxHeaderCount(), 200), Long.MAX_VALUE));
        Map<EventLoop, UpstreamPool> byLoop = new IdentityHashMap<>();
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            byLoop.put(loop, new UpstreamPool(loop, clientType, poolSettings));
        }
        pools = byLoop;
        HttpLimits requestLimits = new HttpLimits(settings.maxInitialLineBytes(), settings.maxHeaderBytes(),
                settings.maxHeaderCount(), settings.maxBodyBytes());
        int high = settings.writeBufferHighWaterBytes();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.REQUEST, requestLimits);
                        ClientResponseEncoder encoder = new ClientResponseEncoder();
                        ch.pipeline().addLast(decoder, encoder,
                                new ClientConnectionHandler(context, decoder, encoder, pools.get(ch.eventLoop())));
                        clients.add(ch);
                    }
                });
        try {
            server = bootstrap.bind(settings.listen()).syncUninterruptibly().channel();
        } catch (Exception e) {
            // Netty rethrows the bind failure unchecked (a native IOException with epoll).
            close();
            throw new UserException("cannot listen on " + settings.listen().getHostString() + ":"
                    + settings.listen().getPort() + ": " + e.getMessage(),
                    "choose a free local address and port for router.listen");
        }
        LOG.info("proxy listening on {} ({} event loops, {})", server.localAddress(), loops,
                transport.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The socket transport the event loops use (the preferred one, or the next available). */
    public synchronized Transport transport() {
        if (transport == null) {
            throw new IllegalStateException("proxy not started");
        }
        return transport;
    }

    /** The address actually bound (the port is known here when the settings asked for port 0). */
    public InetSocketAddress boundAddress() {
        if (server == null) {
            throw new IllegalStateException("proxy not started");
        }
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * Closes the listening socket and the connections sitting between requests; connections in an exchange
     * finish it and are closed after it ({@code Connection: close}).
     */
    public void stopAccepting() {
        context.draining = true;
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> {
                ClientConnectionHandler handler = ch.pipeline().get(ClientConnectionHandler.class);
                if (handler != null) {
                    handler.closeIfIdle();
                }
            });
        }
    }

    /** Requests being served now, held ones included (for draining and diagnostics). */
    public long inFlight() {
        return context.inFlight.sum();
    }

    /**
     * Waits until no exchange is in flight or the deadline passes.
     *
     * @return true when everything finished, false when the deadline passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitInFlight(Instant deadline) throws InterruptedException {
        while (context.inFlight.sum() > 0) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(left, 20));
        }
        return true;
    }

    /** Closes every connection, both sides, and stops the event loops; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.draining = true;
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (pools != null) {
            for (UpstreamPool pool : pools.values()) {
                pool.eventLoop().execute(pool::close);
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}

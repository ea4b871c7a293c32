package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's admin API (and, with other {@link AdminEndpoints}, the controller's): an HTTP/1.1 server on
 * its own listener (loopback by default) with named bearer tokens, serving the routing table, freeze and
 * release, traffic stats, long-open requests, health, Prometheus metrics and config reload. The router's assembly starts it with the in-process {@link RouterControl}; the controller talks to
 * it through {@link HttpRouterControl} and {@link HttpTrafficWindow}. docs/router.md ("Admin API") lists the
 * endpoints.
 *
 * <p>Threads: one Netty event loop does the I/O; the endpoints run on up to {@value #MAX_WORKERS} worker
 * threads, because a freeze blocks until its tenant's requests have drained. A request arriving while all
 * workers are busy gets 503.
 */
public final class AdminServer implements AutoCloseable {
    static final int MAX_WORKERS = 8;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int IDLE_SECONDS = 120;
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AdminSettings settings;
    private final String owner;
    private final String defaultListen;
    private final AdminEndpoints api;
    private EventLoopGroup group;
    private ThreadPoolExecutor workers;
    private Channel channel;

    /**
     * @param control  the router being administered (the in-process one in a router)
     * @param traffic  the router's traffic window, for {@code GET /stats}
     * @param open     the router's requests in flight, for {@code GET /open-requests}
     * @param reload   re-reads the config file, for {@code POST /reload}
     * @param registry the router's metrics, for {@code GET /metrics}
     */
    public AdminServer(AdminSettings settings, RouterControl control, TrafficWindow traffic, InFlightRequests open,
                       ReloadHook reload, PrometheusMeterRegistry registry) {
        this(settings, "router", AdminSettings.DEFAULT_LISTEN, new AdminApi(Objects.requireNonNull(control, "control"),
                Objects.requireNonNull(traffic, "traffic"), Objects.requireNonNull(open, "open"),
                Objects.requireNonNull(reload, "reload"), Objects.requireNonNull(registry, "registry")));
    }

    /**
     * An admin listener serving other endpoints with the same tokens, threads and conventions (the
     * controller's admin API).
     *
     * @param owner         whose API this is, as in its config section ("controller"): named in the 401 answer,
     *                      the realm, the bind error and the audit logger {@code dev.hikkoshi.OWNER.admin.audit}
     * @param defaultListen the listen address used when the config gives none, for the bind error's hint
     */
    public AdminServer(AdminSettings settings, String owner, String defaultListen, AdminEndpoints endpoints) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.defaultListen = Objects.requireNonNull(defaultListen, "defaultListen");
        this.api = Objects.requireNonNull(endpoints, "endpoints");
    }

    /**
     * Binds the listener.
     *
     * @throws UserException when the address cannot be bound (in use, or not an address of this host)
     */
    public synchronized AdminServer start() {
        if (channel != null) {
            throw new IllegalStateException("admin server already started on " + address());
        }
        AtomicInteger threads = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "hikkoshi-admin-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetSocketAddress listen = new InetSocketAddress(settings.listen().getHostString(), settings.listen().getPort());
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS),
                                new HttpServerCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                new AdminHandler(settings.tokens(), api, workers, owner));
                    }
                })
                .bind(listen).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            Throwable cause = bound.cause();
            throw new UserException("cannot listen on " + settings.listen().getHostString() + ":"
                    + settings.listen().getPort() + " for the " + owner + "'s admin API: " + cause.getMessage(),
                    "choose a free port of an address of this host in " + owner + ".admin.listen (default "
                            + defaultListen + "), or stop the process that uses it", cause);
        }
        channel = bound.channel();
        log.info("{} admin API listening on {} (tokens: {})", owner, url(), String.join(", ", settings.tokens().names()));
        return this;
    }

    /** The address actually bound (with the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        if (channel == null) {
            throw new IllegalStateException("admin server not started");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code http://host:port} of the bound listener, as clients such as {@link HttpRouterControl} use it. */
    public URI url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** Stops listening and ends the worker threads; requests being handled are abandoned. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        if (workers != null) {
            workers.shutdownNow();
            workers = null;
        }
    }
}

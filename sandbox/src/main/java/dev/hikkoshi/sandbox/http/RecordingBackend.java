package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.routing.SiteId;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 application server standing in for one site's upstream in tests and the demo: it says which site
 * it is (the {@code X-Served-By} response header and a small JSON body) and records every request it serves in
 * a shared {@link ExchangeLog}. How it answers is chosen per request ({@link BackendBehaviour}: delays, gates,
 * slow streamed bodies, server-sent events, a given status, echoed headers). Keep-alive, pipelining,
 * Content-Length and chunked bodies both ways. Listens on 127.0.0.1 on a free port.
 *
 * <pre>{@code
 * ExchangeLog log = new ExchangeLog();
 * try (RecordingBackend legacy = RecordingBackend.start(SiteId.of("legacy"), log)) {
 *     URI base = legacy.uri();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class RecordingBackend implements AutoCloseable {
    /** The header a router forwards the resolved tenant in; recorded with every request. */
    public static final String TENANT_HEADER = "X-Hikkoshi-Tenant";
    /** The response header naming the site that served a request. */
    public static final String SERVED_BY_HEADER = RecordingHandler.SERVED_BY;
    /** The response header carrying the backend's exchange id ({@link BackendRequest#exchangeId()}). */
    public static final String EXCHANGE_HEADER = RecordingHandler.EXCHANGE;

    private final SiteId site;
    private final ExchangeLog log;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bodyBytesRead = new AtomicLong();
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

    private RecordingBackend(SiteId site, ExchangeLog log, int threads) throws InterruptedException {
        this.site = Objects.requireNonNull(site, "site");
        this.log = Objects.requireNonNull(log, "log");
        this.group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("backend-" + site.value(), true), NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(),
                                    new RecordingHandler(RecordingBackend.this, connections.incrementAndGet()));
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts a backend for {@code site} on 127.0.0.1 on a free port, with one event loop thread. */
    public static RecordingBackend start(SiteId site, ExchangeLog log) throws InterruptedException {
        return new RecordingBackend(site, log, 1);
    }

    /** Starts a backend with {@code threads} event loop threads (for load; one is enough for tests). */
    public static RecordingBackend start(SiteId site, ExchangeLog log, int threads) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        return new RecordingBackend(site, log, threads);
    }

    public SiteId site() {
        return site;
    }

    public ExchangeLog log() {
        return log;
    }

    /** The bound address (127.0.0.1 and the port chosen by the system). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, for a router's upstream list. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** How many connections this backend has accepted so far (shows connection reuse). */
    public long acceptedConnections() {
        return connections.get();
    }

    /**
     * Request body bytes read so far, across all requests, as they arrive (not only when a request completes):
     * shows that an upload is streamed through a proxy while the client is still sending.
     */
    public long requestBodyBytesRead() {
        return bodyBytesRead.get();
    }

    /**
     * Bytes of streamed response bodies ({@code stream-bytes}, {@code sse}) handed to the connection so far;
     * the backend stops writing while the connection is not writable, so with a stalled reader downstream
     * this stays bounded.
     */
    public long responseBodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    void bodyBytesRead(long n) {
        bodyBytesRead.addAndGet(n);
    }

    void bodyBytesWritten(long n) {
        bodyBytesWritten.addAndGet(n);
    }

    /** Lets the requests held with {@code gate=NAME} (and later ones naming it) be answered. */
    public void openGate(String name) {
        gate(name).complete(null);
    }

    CompletableFuture<Void> gate(String name) {
        return gates.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    String nextExchangeId() {
        return site.value() + "-" + exchanges.incrementAndGet();
    }

    /** Closes the listener and every connection, and stops the event loop. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "backend " + site + " at " + uri();
    }
}

package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running {@link LoadGenerator}: its clients, and the log of every response so far. Each request comes from the
 * generator's {@link Workload}, which hears of its outcome once it is logged.
 *
 * <p>Concurrency: each client lives on the one event loop thread of the run; the response log is appended under
 * a monitor so that {@link LoadResponse#sequence()} follows arrival order and callers may read it any time.
 */
public final class LoadRun implements AutoCloseable {
    /** Responses larger than this fail the request (a load generator is not a download tool). */
    private static final int MAX_RESPONSE_BYTES = 64 << 20;

    private final LoadGenerator load;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final long deadlineNanos;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final List<LoadResponse> responses = new ArrayList<>();
    private final CountDownLatch finished;
    private final AtomicReference<RuntimeException> workloadFailure = new AtomicReference<>();
    private volatile boolean stopped;
    /** With a rate: when the next request may start (nanoTime), shared by the clients. */
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());

    LoadRun(LoadGenerator load) {
        this.load = load;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load", true),
                NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .remoteAddress(load.address());
        this.deadlineNanos = System.nanoTime() + load.duration().toNanos();
        this.finished = new CountDownLatch(load.clients());
        for (int i = 0; i < load.clients(); i++) {
            Client client = new Client(i);
            group.next().execute(client::next);
        }
    }

    /** Stops starting requests; those in flight still finish (or time out). */
    public void stop() {
        stopped = true;
    }

    /** Waits until every client has finished; false if {@code timeout} passed first. */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether every client has finished. */
    public boolean isDone() {
        return finished.getCount() == 0;
    }

    /** Requests started so far. */
    public long sent() {
        return Math.min(issued.get(), load.maxRequests());
    }

    /** A copy of every response (or failure) so far, in arrival order. */
    public List<LoadResponse> responses() {
        synchronized (responses) {
            return List.copyOf(responses);
        }
    }

    /** The first exception the workload threw (which stopped the run), if any. */
    public Optional<RuntimeException> workloadFailure() {
        return Optional.ofNullable(workloadFailure.get());
    }

    public LoadSummary summary() {
        return LoadSummary.of(responses());
    }

    /** Stops, closes every connection and the event loop; requests still in flight are abandoned. */
    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private boolean claim() {
        return !stopped && System.nanoTime() < deadlineNanos && issued.incrementAndGet() <= load.maxRequests();
    }

    private LoadResponse record(Client client, TenantId tenant, Instant sentAt, long startNanos, int status,
                                Optional<String> servedBy, Optional<String> failure) {
        long micros = (System.nanoTime() - startNanos) / 1_000;
        synchronized (responses) {
            LoadResponse response = new LoadResponse(sequence.incrementAndGet(), client.index, tenant, sentAt, micros,
                    status, servedBy, failure);
            responses.add(response);
            return response;
        }
    }

    /** A workload that throws stops the run: its records could no longer be trusted. */
    private void workloadFailed(RuntimeException e) {
        workloadFailure.compareAndSet(null, e);
        stop();
    }

    /** One keep-alive client: sends a request, waits for its response, then sends the next. */
    private final class Client {
        private final int index;
        private long requestNumber;
        private Channel channel;
        private Pending pending;

        Client(int index) {
            this.index = index;
        }

        /** A request waiting for its response. */
        private final class Pending {
            final TenantId tenant;
            final LoadRequest request;
            final Instant sentAt = Instant.now();
            final long startNanos = System.nanoTime();
            ScheduledFuture<?> timeout;

            Pending(TenantId tenant, LoadRequest request) {
                this.tenant = tenant;
                this.request = request;
            }
        }

        void next() {
            if (!claim()) {
                if (channel != null) {
                    channel.close();
                }
                finished.countDown();
                return;
            }
            List<TenantId> tenants = load.tenants();
            TenantId tenant = tenants.get((int) ((index + requestNumber++ * load.clients()) % tenants.size()));
            LoadRequest request;
            try {
                request = load.workload().next(tenant);
            } catch (RuntimeException e) {
                workloadFailed(e);
                group.next().execute(this::next);
                return;
            }
            pending = new Pending(tenant, request);
            if (channel != null && channel.isActive()) {
                send(channel);
                return;
            }
            Pending connecting = pending;
            ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                            new ResponseHandler());
                }
            }).connect();
            connect.addListener(f -> {
                if (pending != connecting) {
                    return;
                }
                if (f.isSuccess()) {
                    channel = connect.channel();
                    send(channel);
                } else {
                    fail("connect to " + load.address() + " failed: " + f.cause().getMessage());
                }
            });
        }

        private void send(Channel ch) {
            Pending p = pending;
            String host = load.addressing().host(p.tenant);
            byte[] body = p.request.jsonBody().map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                    HttpMethod.valueOf(p.request.method()),
                    load.addressing().requestTarget(p.tenant, p.request.path()), Unpooled.wrappedBuffer(body));
            request.headers().set(HttpHeaderNames.HOST, host != null ? host
                            : load.address().getAddress().getHostAddress() + ":" + load.address().getPort())
                    .set(HttpHeaderNames.USER_AGENT, "hikkoshi-load")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (p.request.jsonBody().isPresent()) {
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            load.addressing().headers(p.tenant).forEach(request.headers()::set);
            p.timeout = ch.eventLoop().schedule(() -> {
                if (pending == p) {
                    fail("no response within " + load.requestTimeout().toMillis() + " ms");
                }
            }, load.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            ch.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess() && pending == p) {
                    fail("request could not be written: " + f.cause().getMessage());
                }
            });
        }

        void answered(FullHttpResponse response) {
            Pending p = pending;
            if (p == null) {
                return;
            }
            pending = null;
            p.timeout.cancel(false);
            LoadResponse logged = record(this, p.tenant, p.sentAt, p.startNanos, response.status().code(),
                    Optional.ofNullable(response.headers().get(RecordingBackend.SERVED_BY_HEADER)), Optional.empty());
            if (!HttpUtil.isKeepAlive(response)) {
                channel.close();
                channel = null;
            }
            complete(p, logged, response.content().toString(StandardCharsets.UTF_8));
        }

        void fail(String why) {
            Pending p = pending;
            if (p == null) {
                return;
            }
            pending = null;
            if (p.timeout != null) {
                p.timeout.cancel(false);
            }
            LoadResponse logged = record(this, p.tenant, p.sentAt, p.startNanos, 0, Optional.empty(), Optional.of(why));
            if (channel != null) {
                channel.close();
                channel = null;
            }
            complete(p, logged, "");
        }

        private void complete(Pending p, LoadResponse logged, String body) {
            try {
                p.request.completion().completed(logged, body);
            } catch (RuntimeException e) {
                workloadFailed(e);
            }
            proceed();
        }

        private void proceed() {
            long delay = Math.max(load.pause().toNanos(), paced());
            if (delay == 0) {
                group.next().execute(this::next);
            } else {
                group.next().schedule(this::next, delay, TimeUnit.NANOSECONDS);
            }
        }

        /** With a rate, how long this client waits for its slot; a client that fell behind does not burst. */
        private long paced() {
            if (load.rate() == 0) {
                return 0;
            }
            long interval = (long) (1_000_000_000L / load.rate());
            long now = System.nanoTime();
            long slot = nextSlot.getAndUpdate(next -> Math.max(next, now) + interval);
            return Math.max(0, Math.max(slot, now) - now);
        }

        /** Hands responses and connection losses of this client's connection back to it. */
        private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                if (ctx.channel() == channel) {
                    answered(response);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (ctx.channel() == channel) {
                    fail("connection closed before the response");
                }
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (ctx.channel() == channel) {
                    fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
                }
                ctx.close();
            }
        }
    }
}

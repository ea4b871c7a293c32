package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.http.FramingFailure;
import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.RouteDecision;
import dev.hikkoshi.router.route.UpstreamTarget;
import dev.hikkoshi.router.upstream.AcquireCallback;
import dev.hikkoshi.router.upstream.UpstreamConnection;
import dev.hikkoshi.router.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * One request and its response, from the request head to the last byte of the response: routes and admits
 * it, holds it while its tenant is frozen, gets an upstream connection (retrying as the rules allow),
 * streams the body both ways with back-pressure, relays a WebSocket after 101, and reports the exchange.
 * Created by {@link ClientConnectionHandler} per request; it is the {@link InFlightRequest} handed to the
 * gate.
 *
 * <p>Concurrency: everything runs on the client channel's event loop, which is also the upstream
 * connection's; the only entries from other threads are the hold's outcome and {@link #forceClose()},
 * which hop onto the loop.
 */
final class Exchange implements UpstreamListener, AcquireCallback, InFlightRequest {
    private final ClientConnectionHandler client;
    private final ProxyContext ctx;
    private final Channel channel;
    private final HttpRequest request;
    private final String requestId;
    private final String path;
    private final HttpMethod method;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final boolean bodyless;
    private final boolean upgradeRequest;
    private final boolean clientHttp10;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);
    private ExchangePhase phase = ExchangePhase.ROUTING;
    private final UpstreamAttempts attempts;
    private Route route;
    private InFlightRequest gateHandle;
    private long pendingBytes;
    private UpstreamConnection upstream;
    private boolean upstreamReused;
    private boolean headersRewritten;
    private boolean requestComplete;
    private boolean requestSent;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean interim;
    private boolean relayInterim;
    private boolean upstreamReusable = true;
    private boolean upstreamStarted;
    private boolean clientClose;
    private boolean gotUpstreamBytes;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private long sentNanos;
    private long lastActivityNanos = startNanos;
    private long upstreamStartNanos;
    private long upstreamNanos;
    private long heldNanos;
    private String reached = "";

    Exchange(ClientConnectionHandler client, ProxyContext ctx, HttpRequest request) {
        this.client = client;
        this.ctx = ctx;
        this.channel = client.channel();
        this.request = request;
        this.method = request.method();
        this.requestId = ctx.nextRequestId();
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        HttpHeaders h = request.headers();
        this.bodyless = !h.contains(HttpHeaderNames.TRANSFER_ENCODING) && HttpUtil.getContentLength(request, 0L) == 0;
        this.upgradeRequest = h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        this.clientHttp10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        this.clientClose = !HttpUtil.isKeepAlive(request) || clientHttp10
                || ctx.draining;
        this.attempts = new UpstreamAttempts(ctx.upstreams, ctx.settings);
        ctx.inFlight.increment();
        if (!bodyless) {
            // Body bytes are read only once an upstream connection can take them. A bodyless request leaves
            // reading on: toggling it costs two epoll_ctl calls per request, and the decoder stops reading by
            // itself if a pipelined request arrives before this one is answered.
            client.setAutoRead(false);
        }
    }

    private void moveTo(ExchangePhase to) {
        if (!phase.successors().contains(to)) {
            throw new IllegalStateException("request " + requestId + ": illegal move from " + phase + " to " + to
                    + " (allowed: " + phase.successors() + ")");
        }
        phase = to;
    }

    void start() {
        Admission admission;
        try {
            RouteDecision decision = ctx.router.route(request, client.peer());
            if (decision instanceof RouteDecision.Rejected rejected) {
                respondLocal(rejected.status(), rejected.message(), null);
                return;
            }
            route = ((RouteDecision.Routed) decision).route();
            admission = ctx.gate.admit(route, pendingBytes, this);
        } catch (RuntimeException e) {
            // A bug in the control plane must cost this request, not the connection's bookkeeping.
            ClientConnectionHandler.LOG.error("routing or admission failed for request {} {} {}", requestId, method,
                    path, e);
            respondLocal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "routing failed", null);
            return;
        }
        admit(admission);
    }

    private void admit(Admission admission) {
        if (admission instanceof Admission.Proceed proceed) {
            route = proceed.route();
            gateHandle = proceed.inFlight();
            moveTo(ExchangePhase.CONNECTING);
            pick();
        } else if (admission instanceof Admission.Refuse refuse) {
            respondLocal(refuse.status(), refuse.message(), refuse.retryAfter());
        } else if (admission instanceof Admission.Held held) {
            moveTo(ExchangePhase.HELD);
            long heldAt = System.nanoTime();
            client.setAutoRead(false);
            held.outcome().whenComplete((outcome, error) -> channel.eventLoop().execute(() -> {
                heldNanos += System.nanoTime() - heldAt;
                released(outcome, error);
            }));
        }
    }

    private void released(Admission outcome, Throwable error) {
        if (phase != ExchangePhase.HELD) {
            // The client went away while held; the gate still counts a request it let proceed.
            if (outcome instanceof Admission.Proceed proceed) {
                proceed.inFlight().finish();
            }
            return;
        }
        if (error != null || outcome == null) {
            respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, "hold failed", Duration.ofSeconds(1));
        } else {
            admit(outcome);
        }
    }

    private void pick() {
        UpstreamTarget target = attempts.next(route.site());
        if (target == null) {
            if (attempts.anyFailed()) {
                respondLocal(HttpResponseStatus.BAD_GATEWAY, "could not connect to an upstream of site "
                        + route.site(), null);
            } else {
                respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream in site " + route.site(),
                        null);
            }
            return;
        }
        client.pool().acquire(target, attempts.pooledAllowed(), this);
    }

    @Override
    public void acquired(UpstreamConnection connection, boolean reused) {
        if (phase != ExchangePhase.CONNECTING) {
            connection.giveBack();
            return;
        }
        moveTo(ExchangePhase.FORWARDING);
        UpstreamTarget target = attempts.current();
        upstream = connection;
        upstreamReused = reused;
        reached = target.authority();
        connection.attach(this, method);
        ctx.upstreams.started(target);
        upstreamStarted = true;
        upstreamStartNanos = System.nanoTime();
        lastActivityNanos = upstreamStartNanos;
        if (!headersRewritten) {
            headersRewritten = true;
            ctx.headers.request(request, route, client.peerAddress(), requestId, upgradeRequest, target);
        }
        Channel up = connection.channel();
        up.write(request, up.voidPromise());
        HttpContent content;
        while ((content = pending.poll()) != null) {
            writeUpstream(content);
        }
        pendingBytes = 0;
        up.flush();
        if (!requestComplete) {
            client.setAutoRead(up.isWritable());
        }
    }

    @Override
    public void failed(AcquireFailure failure, Throwable cause) {
        if (phase != ExchangePhase.CONNECTING) {
            return;
        }
        switch (failure) {
            case CONNECT_FAILED -> {
                if (attempts.connectFailed()) {
                    pick();
                } else {
                    respondLocal(HttpResponseStatus.BAD_GATEWAY, "could not connect to an upstream of site "
                            + route.site(), null);
                }
            }
            case POOL_EXHAUSTED -> respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many requests waiting for " + attempts.current().authority(), Duration.ofSeconds(1));
        }
    }

    /** A piece of the request body (or its end) from the client. */
    void requestContent(HttpContent content) {
        bytesIn += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        switch (phase) {
            case ROUTING, HELD, CONNECTING -> {
                pending.add(content);
                pendingBytes += content.content().readableBytes();
            }
            case FORWARDING -> {
                if (responseStarted) {
                    // An early response: the rest of the body is not sent.
                    content.release();
                } else {
                    writeUpstream(content);
                    if (!upstream.channel().isWritable()) {
                        client.setAutoRead(false);
                    }
                }
            }
            case LOCAL, UPGRADED, DONE -> content.release();
        }
        if (last) {
            finishIfDone();
        }
    }

    private void writeUpstream(HttpContent content) {
        Channel up = upstream.channel();
        up.write(content, up.voidPromise());
        lastActivityNanos = System.nanoTime();
        if (content instanceof LastHttpContent) {
            requestSent = true;
            sentNanos = lastActivityNanos;
        }
    }

    /** Raw bytes from the client after a 101. */
    void clientRaw(ByteBuf bytes) {
        if (phase == ExchangePhase.UPGRADED && upstream != null) {
            lastActivityNanos = System.nanoTime();
            upstream.channel().writeAndFlush(bytes, upstream.channel().voidPromise());
            if (!upstream.channel().isWritable()) {
                client.setAutoRead(false);
            }
        } else {
            bytes.release();
        }
    }

    /** The client's decoder refused what followed the head (bad chunk, body too large). */
    void clientFailed(FramingFailure failure) {
        clientClose = true;
        requestComplete = true;
        if (upstream != null && !requestSent) {
            upstreamReusable = false;
        }
        respondLocal(failure.status(), failure.reason(), null);
    }

    void flushUpstream() {
        if (upstream != null && (phase == ExchangePhase.FORWARDING || phase == ExchangePhase.UPGRADED)) {
            upstream.channel().flush();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (upstream != null) {
            upstream.channel().config().setAutoRead(writable);
        }
    }

    void clientClosed() {
        if (phase != ExchangePhase.DONE) {
            clientClose = true;
            upstreamReusable = false;
            if (status == 0) {
                status = 499;
            }
            complete();
        }
    }

    @Override
    public void upstreamRead(Object message) {
        if (phase != ExchangePhase.FORWARDING && phase != ExchangePhase.UPGRADED) {
            ReferenceCountUtil.release(message);
            return;
        }
        lastActivityNanos = System.nanoTime();
        gotUpstreamBytes = true;
        if (message instanceof HttpResponse response) {
            responseHead(response);
        } else if (message instanceof HttpContent content) {
            responseContent(content);
        } else if (message instanceof ByteBuf bytes) {
            bytesOut += bytes.readableBytes();
            channel.write(bytes, channel.voidPromise());
            if (!channel.isWritable()) {
                upstream.channel().config().setAutoRead(false);
            }
        } else if (message instanceof FramingFailure failure) {
            upstream = null;
            upstreamReusable = false;
            if (responseStarted) {
                abortClient();
            } else {
                respondLocal(HttpResponseStatus.BAD_GATEWAY, "invalid response from upstream "
                        + reached + ": " + failure.reason(), null);
            }
        }
    }

    private void responseHead(HttpResponse response) {
        int code = response.status().code();
        if (code < 200 && code != 101) {
            // RFC 9110 15.2: a proxy forwards 1xx responses, except to an HTTP/1.0 client.
            interim = true;
            relayInterim = !clientHttp10;
            if (relayInterim) {
                ctx.headers.response(response, false);
                channel.writeAndFlush(response, channel.voidPromise());
            }
            return;
        }
        status = code;
        upstreamNanos = System.nanoTime() - upstreamStartNanos;
        ctx.upstreams.responded(attempts.current(), code);
        if (code == 101) {
            if (!upgradeRequest) {
                upstreamReusable = false;
                upstream.close();
                upstream = null;
                respondLocal(HttpResponseStatus.BAD_GATEWAY, "upstream switched protocols unasked", null);
                return;
            }
            upgrade(response);
            return;
        }
        if (!requestSent) {
            // An early response (413, 401 before the body): relay it, but this upstream connection is out of
            // step and the client's unread body makes its connection unusable too.
            upstreamReusable = false;
            if (!requestComplete) {
                clientClose = true;
            }
        }
        if (!HttpUtil.isKeepAlive(response)) {
            upstreamReusable = false;
        }
        ctx.headers.response(response, false);
        clientClose = ResponseFraming.adapt(response, method, clientHttp10, clientClose || ctx.draining);
        client.encoder().answeringHead(method == HttpMethod.HEAD);
        responseStarted = true;
        channel.write(response, channel.voidPromise());
    }

    private void responseContent(HttpContent content) {
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
        if (phase == ExchangePhase.UPGRADED) {
            content.release();
            return;
        }
        bytesOut += content.content().readableBytes();
        channel.write(content, channel.voidPromise());
        if (last) {
            responseComplete = true;
            channel.flush();
            if (!requestSent) {
                upstreamReusable = false;
            }
            finishIfDone();
        } else if (!channel.isWritable()) {
            upstream.channel().config().setAutoRead(false);
        }
    }

    private void upgrade(HttpResponse response) {
        moveTo(ExchangePhase.UPGRADED);
        responseStarted = true;
        upstreamReusable = false;
        ctx.headers.response(response, true);
        client.encoder().answeringHead(false);
        channel.write(response, channel.voidPromise());
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        upstream.upgraded();
        client.upgraded();
    }

    @Override
    public void upstreamReadComplete() {
        channel.flush();
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        if (!requestComplete || phase == ExchangePhase.UPGRADED) {
            client.setAutoRead(writable);
        }
    }

    @Override
    public void upstreamClosed(Throwable cause) {
        if (phase != ExchangePhase.FORWARDING && phase != ExchangePhase.UPGRADED) {
            return;
        }
        upstream = null;
        upstreamReusable = false;
        if (phase == ExchangePhase.UPGRADED || responseStarted) {
            abortClient();
            return;
        }
        if (upstreamReused && !gotUpstreamBytes && attempts.mayResendAfterStale(method, bodyless)) {
            // A pooled connection the upstream had closed: this request may not have been processed, and an
            // idempotent one may be sent again, on a new connection.
            ctx.upstreams.finished(attempts.current());
            upstreamStarted = false;
            requestSent = false;
            if (requestComplete) {
                pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            moveTo(ExchangePhase.CONNECTING);
            pick();
            return;
        }
        respondLocal(HttpResponseStatus.BAD_GATEWAY, "upstream " + reached
                + " closed the connection before responding", null);
    }

    /**
     * Called by the connection's timer: applies the response-header and idle timeouts.
     *
     * @return the next deadline ({@link System#nanoTime()} scale), {@link Long#MAX_VALUE} for none
     */
    long checkTimeouts(long now) {
        if (phase != ExchangePhase.FORWARDING && phase != ExchangePhase.UPGRADED) {
            // Held requests time out in the gate; waiting for a connection, in the pool.
            return Long.MAX_VALUE;
        }
        boolean awaitingHead = requestSent && !responseStarted;
        long deadline = awaitingHead ? sentNanos + ctx.responseHeaderTimeoutNanos
                : lastActivityNanos + ctx.ioIdleTimeoutNanos;
        if (now < deadline) {
            return deadline;
        }
        timedOut();
        return Long.MAX_VALUE;
    }

    private void timedOut() {
        upstreamReusable = false;
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (responseStarted) {
            abortClient();
        } else if (!requestComplete) {
            clientClose = true;
            respondLocal(HttpResponseStatus.REQUEST_TIMEOUT, "request body not received in time", null);
        } else {
            respondLocal(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream " + reached + " did not respond in time", null);
        }
    }

    private void respondLocal(HttpResponseStatus answer, String message, Duration retryAfter) {
        if (responseStarted) {
            abortClient();
            return;
        }
        if (!requestComplete && !bodyless) {
            clientClose = true;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (phase != ExchangePhase.DONE) {
            moveTo(ExchangePhase.LOCAL);
        }
        status = answer.code();
        responseStarted = true;
        responseComplete = true;
        var response = LocalResponse.of(channel.alloc(), answer, message, retryAfter, clientClose || ctx.draining,
                ctx.via);
        bytesOut += response.content().readableBytes();
        client.encoder().answeringHead(method == HttpMethod.HEAD);
        channel.writeAndFlush(response, channel.voidPromise());
        finishIfDone();
    }

    private void abortClient() {
        clientClose = true;
        if (status == 0) {
            status = HttpResponseStatus.BAD_GATEWAY.code();
        }
        responseComplete = true;
        requestComplete = true;
        complete();
        channel.close();
    }

    private void finishIfDone() {
        if (phase != ExchangePhase.DONE && responseComplete && (requestComplete || clientClose)) {
            complete();
        }
    }

    private void complete() {
        if (phase == ExchangePhase.DONE) {
            return;
        }
        moveTo(ExchangePhase.DONE);
        HttpContent content;
        while ((content = pending.poll()) != null) {
            content.release();
        }
        if (upstream != null) {
            if (upstreamReusable && requestSent && responseComplete) {
                upstream.release();
            } else {
                upstream.close();
            }
            upstream = null;
        }
        if (upstreamStarted) {
            upstreamStarted = false;
            ctx.upstreams.finished(attempts.current());
        }
        if (gateHandle != null) {
            gateHandle.finish();
        }
        ctx.inFlight.decrement();
        client.exchangeDone(this, clientClose || ctx.draining, record());
    }

    private ExchangeRecord record() {
        long now = System.nanoTime();
        return new ExchangeRecord(Instant.ofEpochMilli(startMillis), requestId,
                route == null ? "-" : route.tenantLabel(), route == null ? "-" : route.site().value(),
                reached,
                method.name(), path, status, bytesIn, bytesOut, (now - startNanos) / 1000, upstreamNanos / 1000,
                heldNanos / 1000);
    }

    @Override
    public String describe() {
        return requestId + " " + method + " " + path + " (" + (System.nanoTime() - startNanos) / 1_000_000 + " ms)";
    }

    @Override
    public void forceClose() {
        channel.eventLoop().execute(() -> {
            if (phase != ExchangePhase.DONE) {
                if (upstream != null) {
                    upstream.close();
                    upstream = null;
                }
                abortClient();
            }
        });
    }

    @Override
    public void finish() {
        // The gate returns its own handle in Admission.Proceed; this one only identifies the request.
    }
}

package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.http.FramingFailure;
import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.RouteDecision;
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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;

/**
 * One request and its response, from the request head to the last byte of the response: routes and admits
 * it, holds it while its tenant is frozen, gets an upstream connection (retrying as the rules allow),
 * streams the body both ways with back-pressure, relays a WebSocket after 101, and reports the exchange.
 * Created by {@link ClientConnectionHandler} per request; it is the {@link InFlightRequest} handed to the
 * gate. The exchange owns the life of the request (routing, hold, timeouts, local answers, completion) and
 * the state its three parts share: {@link UpstreamAcquisition} gets the upstream connection and decides on
 * retries, {@link RequestForwarder} sends the request, {@link ResponseRelay} relays the response.
 *
 * <p>Concurrency: everything runs on the client channel's event loop, which is also the upstream
 * connection's; the only entries from other threads are the hold's outcome and {@link #forceClose()},
 * which hop onto the loop.
 */
final class Exchange implements UpstreamListener, InFlightRequest {
    // Package-private state is shared with the exchange's parts: RequestForwarder, ResponseRelay and
    // UpstreamAcquisition.
    final ClientConnectionHandler client;
    final ProxyContext ctx;
    final Channel channel;
    final HttpRequest request;
    final String requestId;
    private final String path;
    final HttpMethod method;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    final boolean bodyless;
    final boolean upgradeRequest;
    final boolean clientHttp10;
    final RequestForwarder forwarder;
    private final UpstreamAcquisition acquisition;
    private final ResponseRelay relay;
    ExchangePhase phase = ExchangePhase.ROUTING;
    final UpstreamAttempts attempts;
    Route route;
    private InFlightRequest gateHandle;
    UpstreamConnection upstream;
    boolean requestComplete;
    boolean requestSent;
    boolean responseStarted;
    boolean responseComplete;
    boolean upstreamReusable = true;
    boolean upstreamStarted;
    boolean clientClose;
    private boolean gotUpstreamBytes;
    int status;
    long bytesIn;
    long bytesOut;
    long sentNanos;
    long lastActivityNanos = startNanos;
    long upstreamStartNanos;
    long upstreamNanos;
    private long heldNanos;
    String reached = "";

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
        this.forwarder = new RequestForwarder(this);
        this.relay = new ResponseRelay(this);
        this.acquisition = new UpstreamAcquisition(this);
        ctx.inFlight.increment();
        if (!bodyless) {
            // Body bytes are read only once an upstream connection can take them. A bodyless request leaves
            // reading on: toggling it costs two epoll_ctl calls per request, and the decoder stops reading by
            // itself if a pipelined request arrives before this one is answered.
            client.setAutoRead(false);
        }
    }

    void moveTo(ExchangePhase to) {
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
            // The body's first bytes are still in the decoder's buffer when the head is routed: they are what a
            // held request keeps in memory (reading stops at once), so they count against the gate's byte cap.
            admission = ctx.gate.admit(route, forwarder.pendingBytes() + client.bufferedBytes(), this);
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
            acquisition.pick();
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

    /** A piece of the request body (or its end) from the client. */
    void requestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        forwarder.content(content);
        if (last) {
            finishIfDone();
        }
    }

    /** Raw bytes from the client after a 101. */
    void clientRaw(ByteBuf bytes) {
        forwarder.raw(bytes);
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
        forwarder.flush();
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
        if (message instanceof FramingFailure failure) {
            upstream = null;
            upstreamReusable = false;
            if (responseStarted) {
                abortClient();
            } else {
                respondLocal(HttpResponseStatus.BAD_GATEWAY, "invalid response from upstream "
                        + reached + ": " + failure.reason(), null);
            }
        } else {
            relay.relay(message);
        }
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
        if (acquisition.resendAfterStale(gotUpstreamBytes)) {
            // A pooled connection the upstream had closed: sent again, on a new connection.
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

    void respondLocal(HttpResponseStatus answer, String message, Duration retryAfter) {
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

    void finishIfDone() {
        if (phase != ExchangePhase.DONE && responseComplete && (requestComplete || clientClose)) {
            complete();
        }
    }

    private void complete() {
        if (phase == ExchangePhase.DONE) {
            return;
        }
        moveTo(ExchangePhase.DONE);
        forwarder.discard();
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

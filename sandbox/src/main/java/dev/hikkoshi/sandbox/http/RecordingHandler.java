package dev.hikkoshi.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection handler of a {@link RecordingBackend}: records each request in the {@link ExchangeLog},
 * answers it as its {@link BackendBehaviour} asks, and keeps pipelined requests in order.
 * Pipeline: {@code HttpServerCodec -> RecordingHandler}.
 *
 * <p>One exchange is active at a time. Messages of the next (pipelined) request that arrive while the current
 * response is still being produced are queued until that response is done, so responses leave in request
 * order; reading stops only when the queue is long. All state is touched only on the channel's event loop.
 */
final class RecordingHandler extends ChannelInboundHandlerAdapter {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVED_BY = "X-Served-By";
    static final String EXCHANGE = "X-Backend-Exchange";
    /** Streamed bodies are this byte repeated; chunks are at most 1 MiB ({@link BackendBehaviour}). */
    /**
     * Pipelined messages queued behind a response in progress before reading stops. Reading otherwise goes on
     * while a request is held, so that a client (or proxy) closing the connection is noticed at once and the
     * exchange is recorded as aborted.
     */
    private static final int MAX_QUEUED = 64;
    private static final byte[] FILL = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);

    private final RecordingBackend backend;
    private final long connectionId;
    private final ArrayDeque<HttpObject> queued = new ArrayDeque<>();
    private Exchange current;

    RecordingHandler(RecordingBackend backend, long connectionId) {
        this.backend = backend;
        this.connectionId = connectionId;
    }

    /** One request and the state of its answer. */
    private static final class Exchange {
        final BackendRequest request;
        final HttpRequest head;
        final boolean keepAlive;
        BackendBehaviour behaviour;
        String badRequest;
        long requestBodyBytes;
        long responseBodyBytes;
        int status;
        boolean requestComplete;
        boolean finished;
        /** Continues a streamed body once the channel is writable again (back-pressure). */
        Runnable streamResume;

        Exchange(BackendRequest request, HttpRequest head) {
            this.request = request;
            this.head = head;
            this.keepAlive = HttpUtil.isKeepAlive(head);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!queued.isEmpty() || (current != null && current.requestComplete)) {
            queued.add(http);
            if (queued.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(ctx, http);
    }

    private void handle(ChannelHandlerContext ctx, HttpObject msg) {
        try {
            if (msg instanceof HttpRequest head) {
                if (head.decoderResult().isFailure()) {
                    // Not a request we can record meaningfully: answer like a server would and drop the connection.
                    HttpResponse bad = new DefaultFullHttpResponse(head.protocolVersion(),
                            HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
                    bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(SERVED_BY, backend.site().value());
                    ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                startExchange(ctx, head);
            }
            if (msg instanceof HttpContent content && current != null && !current.requestComplete) {
                current.requestBodyBytes += content.content().readableBytes();
                backend.bodyBytesRead(content.content().readableBytes());
                if (msg instanceof LastHttpContent) {
                    current.requestComplete = true;
                    scheduleAnswer(ctx, current);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(ChannelHandlerContext ctx, HttpRequest head) {
        Map<String, String> forwarded = new TreeMap<>();
        for (Map.Entry<String, String> h : head.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-forwarded-") || name.equals("via") || name.equals("host")) {
                forwarded.merge(name, h.getValue(), (a, b) -> a + ", " + b);
            }
        }
        String lengthHeader = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        long declared = -1;
        if (lengthHeader != null) {
            try {
                declared = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
        }
        BackendRequest request = new BackendRequest(backend.site(), backend.nextExchangeId(), connectionId,
                head.method().name(), head.uri(), new QueryStringDecoder(head.uri()).path(),
                Optional.ofNullable(head.headers().get(RecordingBackend.TENANT_HEADER)), forwarded, declared);
        backend.log().received(request);
        current = new Exchange(request, head);
        try {
            current.behaviour = BackendBehaviour.of(head);
            current.status = current.behaviour.status();
            if (!current.behaviour.pauseRead().isZero()) {
                ctx.channel().config().setAutoRead(false);
                Exchange paused = current;
                ctx.executor().schedule(() -> {
                    if (current == paused && !paused.requestComplete) {
                        ctx.channel().config().setAutoRead(true);
                    }
                }, paused.behaviour.pauseRead().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IllegalArgumentException e) {
            current.badRequest = e.getMessage();
            current.status = 400;
        }
    }

    private void scheduleAnswer(ChannelHandlerContext ctx, Exchange exchange) {
        if (exchange.badRequest != null) {
            answerFull(ctx, exchange, errorBody(exchange.badRequest));
            return;
        }
        BackendBehaviour b = exchange.behaviour;
        Runnable answer = () -> {
            if (current == exchange && ctx.channel().isActive()) {
                answer(ctx, exchange);
            }
        };
        Runnable afterGate = () -> {
            if (b.delay().isZero()) {
                answer.run();
            } else {
                ctx.executor().schedule(answer, b.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        };
        if (b.gate().isPresent()) {
            backend.gate(b.gate().get()).thenRun(() -> ctx.executor().execute(afterGate));
        } else {
            afterGate.run();
        }
    }

    private void answer(ChannelHandlerContext ctx, Exchange exchange) {
        BackendBehaviour b = exchange.behaviour;
        if (b.streams() || b.sse()) {
            HttpResponse head = new DefaultHttpResponse(exchange.head.protocolVersion(),
                    HttpResponseStatus.valueOf(exchange.status));
            decorate(head, exchange);
            HttpUtil.setTransferEncodingChunked(head, true);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, b.sse() ? "text/event-stream" : "application/octet-stream");
            ctx.writeAndFlush(head);
            if (b.streams()) {
                new BodyStream(ctx, exchange, b.streamBytes()).pump();
            } else {
                sendEvent(ctx, exchange, 1);
            }
            return;
        }
        answerFull(ctx, exchange, jsonBody(exchange));
    }

    private void sendEvent(ChannelHandlerContext ctx, Exchange exchange, int n) {
        if (current != exchange || !ctx.channel().isActive()) {
            return;
        }
        BackendBehaviour b = exchange.behaviour;
        if (b.sseEvents() != 0 && n > b.sseEvents()) {
            finish(ctx, exchange);
            return;
        }
        String event = "id: " + n + "\ndata: {\"site\":\"" + backend.site() + "\",\"event\":" + n + "}\n\n";
        writeBody(ctx, exchange, Unpooled.copiedBuffer(event, StandardCharsets.UTF_8));
        ctx.executor().schedule(() -> sendEvent(ctx, exchange, n + 1), b.sseInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a large body chunk by chunk: stops while the channel is not writable (so a slow reader downstream
     * bounds what the backend has buffered) and pauses between chunks when asked to.
     */
    private final class BodyStream {
        private final ChannelHandlerContext ctx;
        private final Exchange exchange;
        private long remaining;

        BodyStream(ChannelHandlerContext ctx, Exchange exchange, long bytes) {
            this.ctx = ctx;
            this.exchange = exchange;
            this.remaining = bytes;
        }

        void pump() {
            BackendBehaviour b = exchange.behaviour;
            while (current == exchange && ctx.channel().isActive() && remaining > 0) {
                if (!ctx.channel().isWritable()) {
                    exchange.streamResume = this::pump;
                    return;
                }
                int n = (int) Math.min(remaining, b.chunkBytes());
                ByteBuf chunk = ctx.alloc().buffer(n).writeBytes(FILL, 0, n);
                remaining -= n;
                writeBody(ctx, exchange, chunk);
                if (!b.chunkDelay().isZero() && remaining > 0) {
                    ctx.executor().schedule(this::pump, b.chunkDelay().toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
            if (current == exchange && remaining == 0) {
                finish(ctx, exchange);
            }
        }
    }

    /** Writes one chunk of a streamed body and counts it. */
    private void writeBody(ChannelHandlerContext ctx, Exchange exchange, ByteBuf chunk) {
        exchange.responseBodyBytes += chunk.readableBytes();
        backend.bodyBytesWritten(chunk.readableBytes());
        ctx.writeAndFlush(new DefaultHttpContent(chunk));
    }

    /** Ends a streamed body; the exchange completes when the last chunk has been written. */
    private void finish(ChannelHandlerContext ctx, Exchange exchange) {
        long sequence = backend.log().reserve();
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(f -> completed(ctx, exchange, f.isSuccess(), sequence));
    }

    /**
     * Answers with the whole body and its Content-Length, except where HTTP forbids a body (RFC 9110 sections
     * 9.3.2, 15.3.5, 15.4.5): a HEAD request gets the length without the body, 204 and 304 get neither.
     */
    private void answerFull(ChannelHandlerContext ctx, Exchange exchange, byte[] body) {
        boolean noBodyStatus = exchange.status == 204 || exchange.status == 304;
        boolean head = exchange.head.method().equals(HttpMethod.HEAD);
        byte[] sent = noBodyStatus || head ? new byte[0] : body;
        HttpResponse response = new DefaultFullHttpResponse(exchange.head.protocolVersion(),
                HttpResponseStatus.valueOf(exchange.status), Unpooled.wrappedBuffer(sent));
        decorate(response, exchange);
        if (!noBodyStatus) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        exchange.responseBodyBytes = sent.length;
        long sequence = backend.log().reserve();
        ctx.writeAndFlush(response).addListener(f -> completed(ctx, exchange, f.isSuccess(), sequence));
    }

    private void decorate(HttpResponse response, Exchange exchange) {
        response.headers().set(SERVED_BY, backend.site().value()).set(EXCHANGE, exchange.request.exchangeId());
        HttpUtil.setKeepAlive(response, exchange.keepAlive);
    }

    /** Records the exchange's end at {@code sequence}, reserved as its last byte was handed to the socket. */
    private void completed(ChannelHandlerContext ctx, Exchange exchange, boolean written, long sequence) {
        if (exchange.finished) {
            return;
        }
        exchange.finished = true;
        backend.log().completed(sequence, exchange.request, exchange.status, exchange.requestBodyBytes,
                exchange.responseBodyBytes, written ? ExchangeEvent.Outcome.ANSWERED : ExchangeEvent.Outcome.ABORTED);
        if (current == exchange) {
            current = null;
        }
        if (!written || !exchange.keepAlive || !exchange.requestComplete) {
            ctx.close();
            return;
        }
        while (!queued.isEmpty() && (current == null || !current.requestComplete)) {
            handle(ctx, queued.poll());
        }
        if (current == null || !current.requestComplete) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private byte[] jsonBody(Exchange exchange) {
        BackendRequest r = exchange.request;
        ObjectNode body = JSON.createObjectNode()
                .put("site", r.site().value())
                .put("exchange", r.exchangeId())
                .put("connection", r.connectionId())
                .put("method", r.method())
                .put("path", r.path())
                .put("tenant", r.tenant().orElse(null))
                .put("bodyBytes", exchange.requestBodyBytes);
        if (exchange.behaviour.echoHeaders()) {
            Map<String, String> headers = new HashMap<>();
            exchange.head.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                    (a, b) -> a + ", " + b));
            body.set("headers", JSON.valueToTree(new TreeMap<>(headers)));
        }
        return (body + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] errorBody(String message) {
        return (JSON.createObjectNode().put("site", backend.site().value()).put("error", message) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable() && current != null && current.streamResume != null) {
            Runnable resume = current.streamResume;
            current.streamResume = null;
            resume.run();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null && !current.finished) {
            completed(ctx, current, false, backend.log().reserve());
        }
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the peer is normal for a test backend (clients and proxies hang up mid-response).
        ctx.close();
    }
}

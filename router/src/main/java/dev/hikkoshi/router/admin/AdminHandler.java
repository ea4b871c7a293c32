package dev.hikkoshi.router.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;

import dev.hikkoshi.router.admin.AdminExchange.Request;
import dev.hikkoshi.router.admin.AdminExchange.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Authenticates each admin request by its bearer token and hands it to the {@link AdminEndpoints} (the
 * router's {@link AdminApi}, or another module's) on a worker thread.
 * Pipeline: {@code IdleStateHandler -> HttpServerCodec -> HttpObjectAggregator -> AdminHandler}, one instance
 * per connection.
 *
 * <p>Every request needs {@code Authorization: Bearer <token>} with one of the configured tokens; without one,
 * or with a token that is not configured, the answer is 401 (with {@code WWW-Authenticate}), whatever the path,
 * so that an unauthenticated client learns nothing about the endpoints. The token's name, never the token,
 * goes to the audit log. Requests of one connection are answered one at a time in arrival order (pipelined
 * ones wait in a short queue, at most {@value #MAX_QUEUED}), and the connection stops reading meanwhile.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String BEARER = "Bearer ";
    private static final int MAX_QUEUED = 16;

    private final AdminTokens tokens;
    private final AdminEndpoints api;
    private final Executor workers;
    private final String owner;
    private final Logger audit;
    private final ArrayDeque<Work> queued = new ArrayDeque<>();
    /** Event-loop only: a request of this connection is being answered. */
    private boolean busy;

    /** @param owner whose admin API this is ("router", "controller"): in the realm, messages and logger name */
    AdminHandler(AdminTokens tokens, AdminEndpoints api, Executor workers, String owner) {
        this.tokens = tokens;
        this.api = api;
        this.workers = workers;
        this.owner = owner;
        this.audit = LoggerFactory.getLogger("dev.hikkoshi." + owner + ".admin.audit");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        // The decoder may hand over several pipelined requests from one read even with auto-read off, so each
        // becomes a work item answered strictly in arrival order.
        Work work = prepare(ctx, req);
        if (busy) {
            if (queued.size() >= MAX_QUEUED) {
                audit.warn("admin connection from {} pipelined more than {} requests: closed", peer(ctx), MAX_QUEUED);
                ctx.close();
                return;
            }
            queued.add(work);
            return;
        }
        process(ctx, work);
    }

    /**
     * One request to answer: either refused at once ({@code refusal}, for {@code unauthorized} reasons when the
     * token was the problem) or handed to the endpoints.
     */
    private record Work(Request request, boolean keepAlive, Response refusal, String wwwAuthenticate,
                        String unauthorized) {
    }

    private Work prepare(ChannelHandlerContext ctx, FullHttpRequest req) {
        String peer = peer(ctx);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        Map<String, String> query = new HashMap<>();
        if (!req.decoderResult().isSuccess()) {
            Request bad = new Request(req.method().name(), "", query, "", "-", peer);
            return new Work(bad, false, Response.json(BAD_REQUEST, AdminJson.error("malformed HTTP request")), null,
                    null);
        }
        Optional<String> who = authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        String method = req.method().name();
        if (who.isEmpty()) {
            boolean presented = req.headers().contains(HttpHeaderNames.AUTHORIZATION);
            String why = presented ? "token not accepted" : "no bearer token";
            audit.warn("admin {} {} from {} refused: {}", method, printable(uri.path()), peer, why);
            Response refused = Response.json(UNAUTHORIZED, AdminJson.error(presented
                    ? "the bearer token is not one of the " + owner + "'s admin tokens"
                    : "missing bearer token (expected: Authorization: Bearer <token>)"));
            String realm = "Bearer realm=\"hikkoshi-" + owner + "\"";
            return new Work(new Request(method, uri.path(), query, "", "-", peer), keepAlive, refused, presented
                    ? realm + ", error=\"invalid_token\"" : realm, why);
        }
        uri.parameters().forEach((k, v) -> query.put(k, v.get(0)));
        return new Work(new Request(method, uri.path(), query, req.content().toString(StandardCharsets.UTF_8),
                who.get(), peer), keepAlive, null, null, null);
    }

    private void process(ChannelHandlerContext ctx, Work work) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        if (work.refusal() != null && work.unauthorized() == null) {
            send(ctx, work, work.refusal());
            return;
        }
        if (work.refusal() != null) {
            try {
                workers.execute(() -> {
                    try {
                        api.unauthorized(work.request(), work.unauthorized());
                    } catch (RuntimeException e) {
                        audit.error("recording the refused admin {} {} from {} failed", work.request().method(),
                                printable(work.request().path()), work.request().peer(), e);
                    }
                    ctx.executor().execute(() -> send(ctx, work, work.refusal()));
                });
            } catch (RejectedExecutionException e) {
                send(ctx, work, work.refusal());
            }
            return;
        }
        Request request = work.request();
        long start = System.nanoTime();
        try {
            workers.execute(() -> {
                MDC.put("component", "admin");
                Response response;
                try {
                    response = api.handle(request);
                } finally {
                    MDC.remove("component");
                }
                audit.info("admin {} {} by {} from {}: {} in {} ms", request.method(), printable(request.path()),
                        request.tokenName(), request.peer(), response.status().code(),
                        (System.nanoTime() - start) / 1_000_000);
                ctx.executor().execute(() -> send(ctx, work, response));
            });
        } catch (RejectedExecutionException e) {
            send(ctx, work, Response.json(SERVICE_UNAVAILABLE, AdminJson.error("the admin API is busy with other "
                    + "requests; try again")));
        }
    }

    private Optional<String> authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return tokens.nameOf(header.substring(BEARER.length()).trim());
    }

    /** Writes the answer of {@code work}, then goes on with the next queued request or reads again. */
    private void send(ChannelHandlerContext ctx, Work work, Response response) {
        FullHttpResponse r = response(response, work.keepAlive());
        if (response.status().equals(METHOD_NOT_ALLOWED)) {
            api.allowedMethods(work.request().path()).ifPresent(allow -> r.headers().set(HttpHeaderNames.ALLOW, allow));
        }
        if (work.wwwAuthenticate() != null) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, work.wwwAuthenticate());
        }
        if (!work.keepAlive()) {
            queued.clear();
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(r);
        busy = false;
        Work next = queued.poll();
        if (next != null) {
            process(ctx, next);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static FullHttpResponse response(Response response, boolean keepAlive) {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !busy) {
            ctx.close(); // an idle connection, not one waiting for a long freeze
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        audit.debug("admin connection from {} failed: {}", peer(ctx), cause.toString());
        ctx.close();
    }

    /**
     * The path as it may appear in the audit log: decoded control characters (a {@code %0A} in the request)
     * would let an unauthenticated client forge audit lines, so they are shown escaped, and the length is capped.
     */
    static String printable(String path) {
        StringBuilder out = new StringBuilder(Math.min(path.length(), 200));
        for (int i = 0; i < path.length() && out.length() < 200; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.length() < path.length() && out.length() >= 200 ? out + "..." : out.toString();
    }

    private static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ctx.channel().remoteAddress());
    }
}

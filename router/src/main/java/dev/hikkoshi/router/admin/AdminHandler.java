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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Authenticates each admin request by its bearer token and hands it to {@link AdminApi} on a worker thread.
 * Pipeline: {@code IdleStateHandler -> HttpServerCodec -> HttpObjectAggregator -> AdminHandler}, one instance
 * per connection.
 *
 * <p>Every request needs {@code Authorization: Bearer <token>} with one of the configured tokens; without one,
 * or with a token that is not configured, the answer is 401 (with {@code WWW-Authenticate}), whatever the path,
 * so that an unauthenticated client learns nothing about the endpoints. The token's name, never the token,
 * goes to the audit log. The connection stops reading while a request is being handled, so answers leave in
 * order even if a client pipelines.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger audit = LoggerFactory.getLogger("dev.hikkoshi.router.admin.audit");
    private static final String BEARER = "Bearer ";

    private final AdminTokens tokens;
    private final AdminApi api;
    private final Executor workers;
    private boolean busy;

    AdminHandler(AdminTokens tokens, AdminApi api, Executor workers) {
        this.tokens = tokens;
        this.api = api;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String peer = peer(ctx);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String method = req.method().name();
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        if (!req.decoderResult().isSuccess()) {
            send(ctx, Response.json(BAD_REQUEST, AdminJson.error("malformed HTTP request")), false, "");
            return;
        }
        Optional<String> who = authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (who.isEmpty()) {
            boolean presented = req.headers().contains(HttpHeaderNames.AUTHORIZATION);
            audit.warn("admin {} {} from {} refused: {}", method, uri.path(), peer,
                    presented ? "token not accepted" : "no bearer token");
            FullHttpResponse refused = response(Response.json(UNAUTHORIZED, AdminJson.error(presented
                    ? "the bearer token is not one of the router's admin tokens"
                    : "missing bearer token (expected: Authorization: Bearer <token>)")), keepAlive);
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, presented
                    ? "Bearer realm=\"hikkoshi-router\", error=\"invalid_token\"" : "Bearer realm=\"hikkoshi-router\"");
            write(ctx, refused, keepAlive);
            return;
        }
        Map<String, String> query = new HashMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, v.get(0)));
        Request request = new Request(method, uri.path(), query, req.content().toString(StandardCharsets.UTF_8),
                who.get(), peer);
        busy = true;
        ctx.channel().config().setAutoRead(false);
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
                audit.info("admin {} {} by {} from {}: {} in {} ms", method, request.path(), request.tokenName(), peer,
                        response.status().code(), (System.nanoTime() - start) / 1_000_000);
                ctx.executor().execute(() -> send(ctx, response, keepAlive, request.path()));
            });
        } catch (RejectedExecutionException e) {
            send(ctx, Response.json(SERVICE_UNAVAILABLE, AdminJson.error("the admin API is busy with other "
                    + "requests; try again")), keepAlive, request.path());
        }
    }

    private Optional<String> authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return tokens.nameOf(header.substring(BEARER.length()).trim());
    }

    private void send(ChannelHandlerContext ctx, Response response, boolean keepAlive, String path) {
        FullHttpResponse r = response(response, keepAlive);
        if (response.status().equals(METHOD_NOT_ALLOWED)) {
            AdminApi.allowedMethod(path).ifPresent(allow -> r.headers().set(HttpHeaderNames.ALLOW, allow));
        }
        write(ctx, r, keepAlive);
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        busy = false;
        if (keepAlive) {
            ctx.writeAndFlush(r);
            ctx.channel().config().setAutoRead(true);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
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

    private static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ctx.channel().remoteAddress());
    }
}

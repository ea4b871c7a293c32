package dev.hikkoshi.router.http;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_IMPLEMENTED;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Checks a request target's form (RFC 9112 section 3.2) and turns absolute-form into origin-form, so the
 * router and the upstream see one shape. An absolute-form authority must equal Host (case-insensitive),
 * otherwise the request is refused: the proxy routes on Host and the application might route on the URI.
 */
final class RequestTarget {
    private RequestTarget() {
    }

    static void normalize(HttpRequest request) throws FramingException {
        String uri = request.uri();
        if (request.method() == HttpMethod.CONNECT) {
            throw new FramingException(NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        if (uri.charAt(0) == '/') {
            return;
        }
        if (uri.equals("*")) {
            if (request.method() != HttpMethod.OPTIONS) {
                throw new FramingException(BAD_REQUEST, "asterisk-form request target with " + request.method());
            }
            return;
        }
        int authorityStart;
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            authorityStart = 7;
        } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
            authorityStart = 8;
        } else {
            throw new FramingException(BAD_REQUEST, "unsupported request target form");
        }
        int end = authorityStart;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?' && uri.charAt(end) != '#') {
            end++;
        }
        String authority = uri.substring(authorityStart, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw new FramingException(BAD_REQUEST, "invalid authority in absolute-form request target");
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            request.headers().set(HttpHeaderNames.HOST, authority);
        } else if (!host.equalsIgnoreCase(authority)) {
            throw new FramingException(BAD_REQUEST, "absolute-form authority differs from Host");
        }
        String rest = uri.substring(end);
        request.setUri(rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest);
    }
}

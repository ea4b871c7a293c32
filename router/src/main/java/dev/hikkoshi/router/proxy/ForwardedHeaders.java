package dev.hikkoshi.router.proxy;

import static io.netty.util.AsciiString.contentEqualsIgnoreCase;

import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.UpstreamTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rewrites a request head for its upstream and a response head for its client, in place: removes
 * hop-by-hop fields (RFC 9110 section 7.6.1, including those the Connection field names), sets the
 * X-Forwarded-* fields, Via, the request id and the resolved tenant. Used by {@link Exchange}.
 */
final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    /** Netty deprecates its constant (HTTP/2 forbids the field); HTTP/1.1 peers still send it. */
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString UPGRADE = AsciiString.cached("upgrade");

    private final AsciiString tenantHeader;
    private final AsciiString requestIdHeader;
    private final String via11;
    private final String via10;

    ForwardedHeaders(ProxySettings settings) {
        this.tenantHeader = AsciiString.cached(settings.tenantHeader());
        this.requestIdHeader = AsciiString.cached(settings.requestIdHeader());
        this.via11 = "1.1 " + settings.viaPseudonym();
        this.via10 = "1.0 " + settings.viaPseudonym();
    }

    /**
     * Turns the client's request into the upstream's: HTTP/1.1, keep-alive, the route's target.
     *
     * @param upgrade whether Upgrade and {@code Connection: upgrade} are kept (a WebSocket handshake)
     */
    void request(HttpRequest request, Route route, String peerAddress, String requestId, boolean upgrade,
                 UpstreamTarget target) {
        HttpHeaders h = request.headers();
        boolean clientHttp10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        removeHopByHop(h, upgrade);
        h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        String xff = route.peerTrusted() ? h.get(X_FORWARDED_FOR) : null;
        h.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? peerAddress : xff + ", " + peerAddress);
        if (!route.peerTrusted() || !h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, HTTP);
        }
        String host = h.get(HttpHeaderNames.HOST);
        if (host == null) {
            host = target.authority();
            h.set(HttpHeaderNames.HOST, host);
        }
        if (!route.peerTrusted() || !h.contains(X_FORWARDED_HOST)) {
            h.set(X_FORWARDED_HOST, host);
        }
        appendVia(h, clientHttp10 ? via10 : via11);
        h.set(requestIdHeader, requestId);
        if (route.tenant().isPresent()) {
            h.set(tenantHeader, route.tenant().get().value());
        } else {
            h.remove(tenantHeader);
        }
        request.setUri(route.forwardTarget());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Cleans an upstream response head for the client; framing fields are decided by the caller. */
    void response(HttpResponse response, boolean upgrade) {
        HttpHeaders h = response.headers();
        removeHopByHop(h, upgrade);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        appendVia(h, response.protocolVersion() == HttpVersion.HTTP_1_0 ? via10 : via11);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Connection, Keep-Alive, Proxy-Connection, TE, Upgrade and every field Connection names. Runs twice per
     * request: the Connection values are scanned in place, and only a name that is not removed anyway (such
     * as {@code keep-alive}) is kept aside, so the common case allocates nothing.
     */
    private static void removeHopByHop(HttpHeaders h, boolean keepUpgrade) {
        Iterator<? extends CharSequence> values = h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        if (values.hasNext()) {
            List<CharSequence> named = null;
            while (values.hasNext()) {
                CharSequence value = values.next();
                int length = value.length();
                int from = 0;
                while (from <= length) {
                    int to = indexOf(value, ',', from);
                    int start = from;
                    int end = to;
                    while (start < end && value.charAt(start) <= ' ') {
                        start++;
                    }
                    while (end > start && value.charAt(end - 1) <= ' ') {
                        end--;
                    }
                    if (start < end) {
                        CharSequence name = value.subSequence(start, end);
                        if (!removedAnyway(name) && !(keepUpgrade && contentEqualsIgnoreCase(name, UPGRADE))
                                && !contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)
                                && !contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)
                                && !contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                            if (named == null) {
                                named = new ArrayList<>(2);
                            }
                            named.add(name);
                        }
                    }
                    from = to + 1;
                }
            }
            if (named != null) {
                for (CharSequence name : named) {
                    h.remove(name);
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        if (!keepUpgrade) {
            h.remove(HttpHeaderNames.UPGRADE);
        }
    }

    /** Fields removed below in any case. */
    private static boolean removedAnyway(CharSequence name) {
        return contentEqualsIgnoreCase(name, KEEP_ALIVE) || contentEqualsIgnoreCase(name, PROXY_CONNECTION) || contentEqualsIgnoreCase(name, HttpHeaderNames.TE)
                || contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION);
    }

    /** The index of {@code c} in {@code s} from {@code from}, or the length when it does not occur. */
    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return s.length();
    }

    private static void appendVia(HttpHeaders h, String via) {
        String existing = h.get(HttpHeaderNames.VIA);
        h.set(HttpHeaderNames.VIA, existing == null ? via : existing + ", " + via);
    }
}

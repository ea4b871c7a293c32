package dev.hikkoshi.router.http;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY;
import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_IMPLEMENTED;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Parses one complete message head (request or status line and header fields, lines already split on CRLF
 * by {@link StrictHttpDecoder}) with RFC 9112's grammar and no leniency, and derives the body's framing
 * (RFC 9112 section 6.3). Header names and values are views on the head's bytes, so a head costs one copy.
 */
final class HeadParser {
    /** Body length markers besides a Content-Length value. */
    static final long NO_BODY = 0;
    static final long CHUNKED = -1;
    static final long UNTIL_CLOSE = -2;

    /** Our own messages were validated here; Netty's header validation would only repeat it. */
    static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HeadParser() {
    }

    static boolean isTokenChar(byte b) {
        return TCHAR[b & 0xff];
    }

    /** Request line {@code method SP request-target SP HTTP-version}, single spaces, nothing else. */
    static DefaultHttpRequest requestLine(byte[] head, int start, int end) throws FramingException {
        int sp1 = indexOf(head, start, end, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(head, sp1 + 1, end, (byte) ' ');
        if (sp1 <= start || sp2 <= sp1 + 1 || sp2 == end - 1) {
            throw new FramingException(BAD_REQUEST, "malformed request line");
        }
        for (int i = start; i < sp1; i++) {
            if (!isTokenChar(head[i])) {
                throw new FramingException(BAD_REQUEST, "invalid character in the method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int b = head[i] & 0xff;
            if (b <= 0x20 || b >= 0x7f) {
                throw new FramingException(BAD_REQUEST, "invalid character in the request target");
            }
        }
        HttpVersion version = version(head, sp2 + 1, end, BAD_REQUEST);
        HttpMethod method = method(head, start, sp1 - start);
        String target = new String(head, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        return new DefaultHttpRequest(version, method, target, HEADERS);
    }

    /** The common methods without allocating their names (the request path's most frequent case). */
    private static HttpMethod method(byte[] head, int start, int length) {
        if (length == 3 && head[start] == 'G' && head[start + 1] == 'E' && head[start + 2] == 'T') {
            return HttpMethod.GET;
        }
        if (length == 4 && head[start] == 'P' && head[start + 1] == 'O' && head[start + 2] == 'S'
                && head[start + 3] == 'T') {
            return HttpMethod.POST;
        }
        return HttpMethod.valueOf(new String(head, start, length, StandardCharsets.US_ASCII));
    }

    /** Status line {@code HTTP-version SP 3DIGIT SP [reason-phrase]}. */
    static DefaultHttpResponse statusLine(byte[] head, int start, int end) throws FramingException {
        int sp1 = indexOf(head, start, end, (byte) ' ');
        if (sp1 < 0 || end - sp1 < 5 || head[sp1 + 4] != ' ') {
            throw new FramingException(BAD_GATEWAY, "malformed status line from the upstream");
        }
        HttpVersion version = version(head, start, sp1, BAD_GATEWAY);
        int code = 0;
        for (int i = sp1 + 1; i < sp1 + 4; i++) {
            if (head[i] < '0' || head[i] > '9') {
                throw new FramingException(BAD_GATEWAY, "malformed status code from the upstream");
            }
            code = code * 10 + head[i] - '0';
        }
        if (code < 100) {
            throw new FramingException(BAD_GATEWAY, "status code below 100 from the upstream");
        }
        for (int i = sp1 + 5; i < end; i++) {
            int b = head[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new FramingException(BAD_GATEWAY, "control character in the upstream's reason phrase");
            }
        }
        String reason = new String(head, sp1 + 5, end - sp1 - 5, StandardCharsets.ISO_8859_1);
        return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(code, reason), HEADERS);
    }

    private static HttpVersion version(byte[] head, int start, int end, HttpResponseStatus malformed)
            throws FramingException {
        if (end - start == 8 && head[start] == 'H' && head[start + 1] == 'T' && head[start + 2] == 'T'
                && head[start + 3] == 'P' && head[start + 4] == '/' && head[start + 6] == '.'
                && isDigit(head[start + 5]) && isDigit(head[start + 7])) {
            if (head[start + 5] == '1' && head[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (head[start + 5] == '1' && head[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
            throw new FramingException(malformed == BAD_REQUEST ? HTTP_VERSION_NOT_SUPPORTED : malformed,
                    "HTTP version not supported (only HTTP/1.0 and HTTP/1.1)");
        }
        throw new FramingException(malformed, "malformed HTTP version");
    }

    /**
     * Adds one field line {@code name ":" OWS value OWS}; rejects obs-fold, whitespace before the colon and
     * control characters (RFC 9112 section 5).
     */
    static void field(byte[] head, int start, int end, HttpHeaders into, HttpResponseStatus bad)
            throws FramingException {
        if (head[start] == ' ' || head[start] == '\t') {
            throw new FramingException(bad, "obsolete line folding in a header field");
        }
        int colon = start;
        while (colon < end && isTokenChar(head[colon])) {
            colon++;
        }
        if (colon == end || head[colon] != ':') {
            throw new FramingException(bad, colon < end && (head[colon] == ' ' || head[colon] == '\t')
                    ? "whitespace between a header name and the colon" : "invalid header field name");
        }
        if (colon == start) {
            throw new FramingException(bad, "empty header field name");
        }
        int vs = colon + 1;
        int ve = end;
        while (vs < ve && (head[vs] == ' ' || head[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            int b = head[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new FramingException(bad, "control character in a header field value");
            }
        }
        into.add(new AsciiString(head, start, colon - start, false), new AsciiString(head, vs, ve - vs, false));
    }

    /** Request framing, RFC 9112 section 6.3, and the Host rules of RFC 9112 section 3.2. */
    static long requestBody(DefaultHttpRequest request, HttpLimits limits) throws FramingException {
        HttpHeaders headers = request.headers();
        int hosts = count(headers, HttpHeaderNames.HOST);
        if (hosts > 1) {
            throw new FramingException(BAD_REQUEST, "more than one Host header");
        }
        if (hosts == 0 && request.protocolVersion() == HttpVersion.HTTP_1_1) {
            throw new FramingException(BAD_REQUEST, "HTTP/1.1 request without a Host header");
        }
        boolean hasTe = headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        boolean hasCl = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (hasTe) {
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new FramingException(BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (hasCl) {
                throw new FramingException(BAD_REQUEST, "both Content-Length and Transfer-Encoding");
            }
            if (!finalCodingIsChunked(headers, BAD_REQUEST)) {
                throw new FramingException(BAD_REQUEST, "Transfer-Encoding whose final coding is not chunked");
            }
            return CHUNKED;
        }
        if (hasCl) {
            long length = contentLength(headers, BAD_REQUEST);
            if (length > limits.maxBodyBytes()) {
                throw new FramingException(REQUEST_ENTITY_TOO_LARGE, "request body larger than "
                        + limits.maxBodyBytes() + " bytes");
            }
            return length;
        }
        return NO_BODY;
    }

    /** Response framing, RFC 9112 section 6.3, for a response to {@code method}. */
    static long responseBody(DefaultHttpResponse response, HttpMethod method) throws FramingException {
        HttpHeaders headers = response.headers();
        int code = response.status().code();
        boolean hasTe = headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        boolean hasCl = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (hasTe && hasCl) {
            throw new FramingException(BAD_GATEWAY, "upstream response with both Content-Length and Transfer-Encoding");
        }
        if (hasCl) {
            contentLength(headers, BAD_GATEWAY);
        }
        if (code < 200 || code == 204 || code == 304 || method == HttpMethod.HEAD) {
            if (hasTe && (code < 200 || code == 204)) {
                throw new FramingException(BAD_GATEWAY, "upstream " + code + " response with Transfer-Encoding");
            }
            return NO_BODY;
        }
        if (hasTe) {
            if (response.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new FramingException(BAD_GATEWAY, "Transfer-Encoding in an HTTP/1.0 upstream response");
            }
            return finalCodingIsChunked(headers, BAD_GATEWAY) ? CHUNKED : UNTIL_CLOSE;
        }
        return hasCl ? contentLength(headers, BAD_GATEWAY) : UNTIL_CLOSE;
    }

    /**
     * Whether the last coding is chunked; chunked anywhere else, an empty list element, or (for requests)
     * a coding we do not implement before the final chunked is refused.
     */
    private static boolean finalCodingIsChunked(HttpHeaders headers, HttpResponseStatus bad) throws FramingException {
        String last = null;
        boolean unknownBefore = false;
        boolean chunkedBefore = false;
        for (String value : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            int from = 0;
            while (from <= value.length()) {
                int comma = value.indexOf(',', from);
                int to = comma < 0 ? value.length() : comma;
                String coding = value.substring(from, to).trim();
                if (coding.isEmpty() || !isToken(coding)) {
                    throw new FramingException(bad, "malformed Transfer-Encoding");
                }
                if (last != null) {
                    if (last.equalsIgnoreCase("chunked")) {
                        chunkedBefore = true;
                    } else {
                        unknownBefore = true;
                    }
                }
                last = coding;
                from = to + 1;
            }
        }
        if (last == null || !last.equalsIgnoreCase("chunked")) {
            return false;
        }
        if (chunkedBefore) {
            throw new FramingException(bad, "chunked applied more than once in Transfer-Encoding");
        }
        if (unknownBefore) {
            throw new FramingException(bad == BAD_REQUEST ? NOT_IMPLEMENTED : bad,
                    "transfer coding not implemented (only chunked)");
        }
        return true;
    }

    /**
     * One decimal value; repeated fields or list members must all be that same value (RFC 9110 8.6). Read
     * from the fields' own characters: it runs for every response and for every request with a body.
     */
    private static long contentLength(HttpHeaders headers, HttpResponseStatus bad) throws FramingException {
        long length = -1;
        boolean normalize = false;
        int fields = 0;
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONTENT_LENGTH);
        while (values.hasNext()) {
            CharSequence value = values.next();
            fields++;
            int from = 0;
            while (from <= value.length()) {
                int comma = indexOf(value, ',', from);
                int to = comma < 0 ? value.length() : comma;
                normalize |= comma >= 0;
                long one = decimal(value, from, to, bad);
                if (length >= 0 && one != length) {
                    throw new FramingException(bad, "differing Content-Length values");
                }
                length = one;
                from = to + 1;
            }
        }
        if (fields > 1 || normalize) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        return length;
    }

    private static long decimal(CharSequence value, int from, int to, HttpResponseStatus bad) throws FramingException {
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        if (from == to || to - from > 18) {
            throw new FramingException(bad, "malformed Content-Length");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new FramingException(bad, "malformed Content-Length");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** How many fields named {@code name} the head has, without collecting their values. */
    private static int count(HttpHeaders headers, CharSequence name) {
        int n = 0;
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
        while (values.hasNext()) {
            values.next();
            n++;
        }
        return n;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

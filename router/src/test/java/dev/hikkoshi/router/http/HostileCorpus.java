package dev.hikkoshi.router.http;

import java.util.List;

/**
 * Malformed and smuggling requests with the status each must get; shared by the decoder's unit test and the
 * proxy's end-to-end test. Limits: {@link #LIMITS}.
 */
public final class HostileCorpus {
    /** Limits the corpus is written against (the proxy tests configure the same). */
    public static final HttpLimits LIMITS = new HttpLimits(4096, 8192, 50, 1024 * 1024);

    /** One hostile request. */
    public record Case(String name, String request, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCorpus() {
    }

    public static List<Case> cases() {
        return List.of(
                new Case("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: a.test\r\n\r\n", 505),
                new Case("HTTP/1.2 request line", "GET / HTTP/1.2\r\nHost: a.test\r\n\r\n", 505),
                new Case("garbage version", "GET / HTTX/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("header section too large", "GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "b".repeat(9000)
                        + "\r\n\r\n", 431),
                new Case("too many header fields", "GET / HTTP/1.1\r\nHost: a.test\r\n" + "X-H: 1\r\n".repeat(60)
                        + "\r\n", 431),
                new Case("request line too long", "GET /" + "u".repeat(5000) + " HTTP/1.1\r\nHost: a.test\r\n\r\n", 414),
                new Case("declared body too large", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1048577\r\n\r\n", 413),
                new Case("chunked body too large", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "100001\r\n", 413),
                new Case("unknown coding before chunked", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip, chunked"
                        + "\r\n\r\n0\r\n\r\n", 501),
                new Case("final coding not chunked", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked, gzip"
                        + "\r\n\r\n", 400),
                new Case("only coding not chunked", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
                new Case("chunked twice", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
                        + "0\r\n\r\n", 400),
                new Case("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                new Case("CL.TE smuggling", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 13\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nSMUGGLED", 400),
                new Case("TE.CL smuggling", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", 400),
                new Case("TE.TE second field obfuscated", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: x\r\n\r\n0\r\n\r\nGET /SMUGGLED HTTP/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("TE.TE xchunked", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: xchunked\r\n\r\n"
                        + "0\r\n\r\n", 400),
                new Case("TE.TE space before colon", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
                new Case("TE.TE folded value", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"
                        + "0\r\n\r\n", 400),
                new Case("differing Content-Length fields", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n"
                        + "Content-Length: 6\r\n\r\nhello!", 400),
                new Case("differing Content-Length list", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5, 6\r\n\r\n"
                        + "hello!", 400),
                new Case("signed Content-Length", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: +5\r\n\r\nhello", 400),
                new Case("hex Content-Length", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 0x5\r\n\r\nhello", 400),
                new Case("empty Content-Length", "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: \r\n\r\n", 400),
                new Case("invalid chunk size", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\nhello\r\n0\r\n\r\n", 400),
                new Case("negative chunk size", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "-5\r\nhello\r\n0\r\n\r\n", 400),
                new Case("overflowing chunk size", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "10000000000000005\r\nhello\r\n0\r\n\r\n", 400),
                new Case("invalid chunk extension", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;\r\nhello\r\n0\r\n\r\n", 400),
                new Case("chunk extension with bare quote", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n5;a=\"b\r\nhello\r\n0\r\n\r\n", 400),
                new Case("chunk size line with bare LF", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\nhello\r\n0\r\n\r\n", 400),
                new Case("chunk data longer than its size", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400),
                new Case("obs-fold", "GET / HTTP/1.1\r\nHost: a.test\r\nX-A: 1\r\n  2\r\n\r\n", 400),
                new Case("bare CR in a header", "GET / HTTP/1.1\r\nHost: a.test\r\nX-A: 1\rX-B: 2\r\n\r\n", 400),
                new Case("bare LF line ends", "GET / HTTP/1.1\nHost: a.test\n\n", 400),
                new Case("whitespace before colon", "GET / HTTP/1.1\r\nHost : a.test\r\n\r\n", 400),
                new Case("NUL in a header value", "GET / HTTP/1.1\r\nHost: a.test\r\nX-A: a\u0000b\r\n\r\n", 400),
                new Case("control character in a header value", "GET / HTTP/1.1\r\nHost: a.test\r\nX-A: a\u0001b\r\n\r\n", 400),
                new Case("DEL in a header value", "GET / HTTP/1.1\r\nHost: a.test\r\nX-A: a\u007fb\r\n\r\n", 400),
                new Case("control character in a header name", "GET / HTTP/1.1\r\nHost: a.test\r\nX\u0001A: b\r\n\r\n", 400),
                new Case("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400),
                new Case("duplicate Host", "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n", 400),
                new Case("absolute-form authority differs from Host", "GET http://b.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("space inside the request target", "GET /a b HTTP/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("double space in the request line", "GET  / HTTP/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("CONNECT", "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n", 501),
                new Case("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: a.test\r\n\r\n", 400),
                new Case("Host in the trailer section", "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n0\r\nHost: b.test\r\n\r\n", 400),
                new Case("Content-Length in the trailer section", "POST / HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n", 400));
    }
}

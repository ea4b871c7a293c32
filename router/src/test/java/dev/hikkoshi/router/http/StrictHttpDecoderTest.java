package dev.hikkoshi.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class StrictHttpDecoderTest {
    static List<HostileCorpus.Case> hostile() {
        return HostileCorpus.cases();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileRequest_isRefusedWithItsStatus(HostileCorpus.Case c) {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictHttpDecoder(StrictHttpDecoder.Mode.REQUEST, HostileCorpus.LIMITS));
        ch.writeInbound(bytes(c.request()));
        List<Object> out = drain(ch);
        assertThat(out).last().isInstanceOf(FramingFailure.class);
        assertThat(((FramingFailure) out.get(out.size() - 1)).status().code()).as(c.name()).isEqualTo(c.status());
        out.forEach(ReferenceCountUtil::release);
        // After a failure nothing else is decoded, whatever follows.
        ch.writeInbound(bytes("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"));
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void chunkedRequest_withExtensionsAndTrailers_isDecodedAsStreamedContent() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictHttpDecoder(StrictHttpDecoder.Mode.REQUEST, HostileCorpus.LIMITS));
        ch.writeInbound(bytes("POST /u HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=val;q=\"x y\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n"));
        List<Object> out = drain(ch);
        assertThat(out.get(0)).isInstanceOf(HttpRequest.class);
        StringBuilder body = new StringBuilder();
        LastHttpContent last = null;
        for (Object o : out.subList(1, out.size())) {
            HttpContent c = (HttpContent) o;
            body.append(c.content().toString(StandardCharsets.US_ASCII));
            if (c instanceof LastHttpContent l) {
                last = l;
            }
        }
        assertThat(body).hasToString("hello world");
        assertThat(last.trailingHeaders().get("X-Checksum")).isEqualTo("42");
        out.forEach(ReferenceCountUtil::release);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void pipelinedRequests_waitUntilResumed() {
        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.REQUEST, HostileCorpus.LIMITS);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(bytes("GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\nGET /2 HTTP/1.1\r\nHost: a.test\r\n\r\n"));
        List<Object> first = drain(ch);
        assertThat(first).hasSize(2);
        assertThat(((HttpRequest) first.get(0)).uri()).isEqualTo("/1");
        decoder.resume();
        List<Object> second = drain(ch);
        assertThat(((HttpRequest) second.get(0)).uri()).isEqualTo("/2");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void absoluteFormWithMatchingHost_becomesOriginForm() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictHttpDecoder(StrictHttpDecoder.Mode.REQUEST, HostileCorpus.LIMITS));
        ch.writeInbound(bytes("GET http://A.test/x?y=1 HTTP/1.1\r\nHost: a.test\r\n\r\n"));
        List<Object> out = drain(ch);
        assertThat(((HttpRequest) out.get(0)).uri()).isEqualTo("/x?y=1");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void response_withBytesAfterItsEnd_isAFailure() {
        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.RESPONSE, HostileCorpus.LIMITS);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expect(HttpMethod.GET);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"));
        List<Object> out = drain(ch);
        assertThat(out.get(0)).isInstanceOf(HttpResponse.class);
        assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(out.get(2)).isInstanceOf(FramingFailure.class);
        out.forEach(ReferenceCountUtil::release);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void response_toHead_withBody_isAFailure() {
        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.RESPONSE, HostileCorpus.LIMITS);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expect(HttpMethod.HEAD);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody"));
        List<Object> out = drain(ch);
        assertThat(out).last().isInstanceOf(FramingFailure.class);
        out.forEach(ReferenceCountUtil::release);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void response_withoutOutstandingRequest_isAFailure() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictHttpDecoder(StrictHttpDecoder.Mode.RESPONSE, HostileCorpus.LIMITS));
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertThat(drain(ch)).singleElement().isInstanceOf(FramingFailure.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void response_withContentLengthAndChunked_isAFailure() {
        StrictHttpDecoder decoder = new StrictHttpDecoder(StrictHttpDecoder.Mode.RESPONSE, HostileCorpus.LIMITS);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.expect(HttpMethod.GET);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertThat(drain(ch)).singleElement().isInstanceOf(FramingFailure.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        for (Object each : out) {
            if (!(each instanceof FramingFailure) && !(each instanceof HttpRequest) && !(each instanceof HttpResponse)
                    && !(each instanceof HttpContent)) {
                throw new AssertionError("unexpected " + each);
            }
        }
        return out;
    }
}

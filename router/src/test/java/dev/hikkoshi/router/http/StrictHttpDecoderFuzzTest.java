package dev.hikkoshi.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated requests and responses (fixed seed, so a failure reproduces): the decoder never throws, never
 * leaks, and either decodes whole messages or reports one failure and then stays silent.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.hikkoshi.router.proxy.LeakCheck.class)
class StrictHttpDecoderFuzzTest {
    private static final String[] SEEDS = {
            "GET /a?b=c HTTP/1.1\r\nHost: a.test\r\nX-A: 1\r\n\r\n",
            "POST /p HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello",
            "POST /c HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n",
            "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
    };
    private static final String[] RESPONSES = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n",
    };
    private static final byte[] NASTY = {'\r', '\n', 0, ' ', '\t', ':', ',', ';', '"', 0x7f, (byte) 0xff, '0', 'f'};

    @Test
    void mutatedRequests_neverThrowOrLeak() {
        fuzz(SEEDS, StrictHttpDecoder.Mode.REQUEST, 800);
    }

    @Test
    void mutatedResponses_neverThrowOrLeak() {
        fuzz(RESPONSES, StrictHttpDecoder.Mode.RESPONSE, 500);
    }

    private static void fuzz(String[] seeds, StrictHttpDecoder.Mode mode, int rounds) {
        Random random = new Random(20261129L);
        for (int round = 0; round < rounds; round++) {
            byte[] input = mutate(seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1), random);
            StrictHttpDecoder decoder = new StrictHttpDecoder(mode, HostileCorpus.LIMITS);
            EmbeddedChannel ch = new EmbeddedChannel(decoder);
            decoder.expect(HttpMethod.GET);
            // Split the input at random points: framing must not depend on how bytes arrive.
            int at = 0;
            boolean failed = false;
            while (at < input.length) {
                int n = 1 + random.nextInt(input.length - at);
                ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
                Object o;
                while ((o = ch.readInbound()) != null) {
                    assertThat(failed).as("nothing after a failure, round " + round).isFalse();
                    if (o instanceof FramingFailure) {
                        failed = true;
                    } else {
                        assertThat(o).isInstanceOf(HttpObject.class);
                        if (o instanceof LastHttpContent && mode == StrictHttpDecoder.Mode.REQUEST) {
                            decoder.resume();
                        } else if (o instanceof LastHttpContent) {
                            decoder.expect(HttpMethod.GET);
                        }
                    }
                    if (o instanceof HttpContent) {
                        ReferenceCountUtil.release(o);
                    }
                }
            }
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = NASTY[random.nextInt(NASTY.length)];
                case 1 -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = NASTY[random.nextInt(NASTY.length)];
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
                default -> {
                    if (out.length > 1) {
                        byte[] shorter = new byte[out.length - 1];
                        System.arraycopy(out, 0, shorter, 0, at);
                        System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                        out = shorter;
                    }
                }
            }
        }
        return out;
    }
}

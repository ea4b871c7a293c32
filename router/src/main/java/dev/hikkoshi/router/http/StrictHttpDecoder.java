package dev.hikkoshi.router.http;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY;
import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_URI_TOO_LONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * HTTP/1.1 message decoder that refuses every ambiguity instead of guessing: used for client requests
 * ({@link Mode#REQUEST}) and upstream responses ({@link Mode#RESPONSE}). It emits Netty's {@code HttpRequest}
 * or {@code HttpResponse}, {@code HttpContent} slices as bytes arrive (never aggregated) and one
 * {@code LastHttpContent} per message; on a violation it emits a {@link FramingFailure} and discards all
 * further input, and the receiver closes the connection.
 *
 * <p>Why not Netty's {@code HttpObjectDecoder}: it drops Content-Length when chunked is present, accepts
 * bare LF, obs-fold and some malformed chunk lines, and gives no way to tell what it repaired. Request
 * smuggling lives in exactly those repairs, so this decoder splits lines itself (CRLF only), parses the head
 * with {@link HeadParser} (RFC 9112 grammar, framing per section 6.3) and chunks with their extensions.
 *
 * <p>Request mode pauses after each complete request: bytes of a pipelined request stay buffered until the
 * proxy has answered and calls {@link #resume()}, so requests are answered in order and a request behind a
 * held one waits. Response mode decodes only while a request is outstanding ({@link #expect}); a byte
 * arriving at any other time, or left over after a response, is a failure, so a pooled connection can never
 * carry one tenant's stray response to another's request. After a 101 both modes pass raw bytes through.
 *
 * <p>Pipeline position: first inbound handler of the channel (client or upstream side).
 */
public final class StrictHttpDecoder extends ByteToMessageDecoder {
    /** Which side of the proxy this decoder reads. */
    public enum Mode { REQUEST, RESPONSE }

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, RAW, FAILED }

    private static final int MAX_CHUNK_LINE = 4096;

    private final Mode mode;
    private final HttpLimits limits;
    private final HttpResponseStatus bad;
    private ChannelHandlerContext ctx;
    private State state = State.HEAD;
    private int scanned;
    private int[] lineEnds = new int[32];
    private int lines;
    private long remaining;
    private long bodyBytes;
    private HttpHeaders trailers;
    private int trailerBytes;
    private boolean paused;
    private HttpMethod expected;
    private long headStartNanos;
    private boolean decoding;

    public StrictHttpDecoder(Mode mode, HttpLimits limits) {
        this.mode = mode;
        this.limits = limits;
        this.bad = mode == Mode.REQUEST ? BAD_REQUEST : BAD_GATEWAY;
    }

    /** Response mode: a request with this method was sent; its response may now be decoded. */
    public void expect(HttpMethod method) {
        expected = method;
    }

    /** Request mode: the previous exchange is over; decode the next request (buffered or yet to come). */
    public void resume() {
        paused = false;
        // Inside a decode pass (the exchange ended while its request was being read) the loop goes on by
        // itself; otherwise bytes already buffered would wait for the next read that may never come.
        if (!decoding && ctx != null && state != State.FAILED && internalBuffer().isReadable()) {
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }
    }

    /** After a 101 (Switching Protocols): every further byte is passed on raw. */
    public void switchToRaw() {
        state = State.RAW;
    }

    /** {@link System#nanoTime()} when the first byte of a head still incomplete arrived; 0 if none. */
    public long headStartedNanos() {
        return headStartNanos;
    }

    /** Whether the decoder is between messages (no message partly read). */
    public boolean idle() {
        return state == State.HEAD && headStartNanos == 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (paused && msg != Unpooled.EMPTY_BUFFER) {
            // A pipelined request while the previous one is unanswered: keep it, but read no further.
            context.channel().config().setAutoRead(false);
        }
        boolean outer = !decoding;
        decoding = true;
        try {
            super.channelRead(context, msg);
        } finally {
            if (outer) {
                decoding = false;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) throws Exception {
        if (paused) {
            // Do not let ByteToMessageDecoder ask for more bytes while a request waits its turn.
            discardSomeReadBytes();
            context.fireChannelReadComplete();
        } else {
            super.channelReadComplete(context);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case HEAD -> head(in, out);
                case FIXED -> fixed(in, out);
                case CHUNK_SIZE -> chunkSize(in);
                case CHUNK_DATA -> chunkData(in, out);
                case CHUNK_END -> chunkEnd(in);
                case TRAILERS -> trailers(in, out);
                case UNTIL_CLOSE, RAW -> out.add(state == State.RAW ? in.readRetainedSlice(in.readableBytes())
                        : new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
                case FAILED -> in.skipBytes(in.readableBytes());
            }
        } catch (FramingException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            out.add(e.failure());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(context, in, out);
        }
        if (state == State.UNTIL_CLOSE) {
            // A response without Content-Length or chunked ends when the upstream closes (RFC 9112 6.3 #8).
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.FAILED;
        }
    }

    private void head(ByteBuf in, List<Object> out) throws FramingException {
        if (mode == Mode.REQUEST && paused) {
            return;
        }
        if (mode == Mode.RESPONSE && expected == null) {
            throw new FramingException(BAD_GATEWAY, "bytes from the upstream with no request outstanding");
        }
        if (headStartNanos == 0) {
            headStartNanos = System.nanoTime();
        }
        int base = in.readerIndex();
        int limit = in.writerIndex();
        int pos = base + scanned;
        while (true) {
            int lf = in.indexOf(pos, limit, (byte) '\n');
            if (lf < 0) {
                scanned = limit - base;
                checkHeadSize(scanned);
                return;
            }
            int lineStart = lines == 0 ? base : base + lineEnds[lines - 1] + 2;
            if (lf == base || in.getByte(lf - 1) != '\r') {
                throw new FramingException(bad, "bare LF in the message head");
            }
            int lineEnd = lf - 1;
            if (lineEnd == lineStart) {
                if (lines == 0 && mode == Mode.REQUEST) {
                    // RFC 9112 2.2: empty lines before a request line are ignored.
                    in.readerIndex(lf + 1);
                    base = lf + 1;
                    pos = base;
                    continue;
                }
                if (lines == 0) {
                    throw new FramingException(BAD_GATEWAY, "empty status line from the upstream");
                }
                complete(in, base, lf + 1 - base, out);
                return;
            }
            if (lines == 0 && lineEnd - lineStart > limits.maxInitialLineBytes()) {
                throw new FramingException(mode == Mode.REQUEST ? REQUEST_URI_TOO_LONG : BAD_GATEWAY,
                        "request line longer than " + limits.maxInitialLineBytes() + " bytes");
            }
            checkHeadSize(lf + 1 - base);
            if (lines > limits.maxHeaderCount()) {
                throw new FramingException(mode == Mode.REQUEST ? REQUEST_HEADER_FIELDS_TOO_LARGE : BAD_GATEWAY,
                        "more than " + limits.maxHeaderCount() + " header fields");
            }
            if (lines == lineEnds.length) {
                lineEnds = java.util.Arrays.copyOf(lineEnds, lines * 2);
            }
            lineEnds[lines++] = lineEnd - base;
            pos = lf + 1;
        }
    }

    private void checkHeadSize(int bytes) throws FramingException {
        if (lines == 0 && bytes > limits.maxInitialLineBytes() + 2) {
            throw new FramingException(mode == Mode.REQUEST ? REQUEST_URI_TOO_LONG : BAD_GATEWAY,
                    "request line longer than " + limits.maxInitialLineBytes() + " bytes");
        }
        if (bytes > limits.maxHeaderBytes()) {
            throw new FramingException(mode == Mode.REQUEST ? REQUEST_HEADER_FIELDS_TOO_LARGE : BAD_GATEWAY,
                    "header section larger than " + limits.maxHeaderBytes() + " bytes");
        }
    }

    private void complete(ByteBuf in, int base, int length, List<Object> out) throws FramingException {
        byte[] head = new byte[length];
        in.getBytes(base, head);
        in.skipBytes(length);
        int lineCount = lines;
        lines = 0;
        scanned = 0;
        headStartNanos = 0;
        if (mode == Mode.REQUEST) {
            DefaultHttpRequest request = HeadParser.requestLine(head, 0, lineEnds[0]);
            for (int i = 1; i < lineCount; i++) {
                HeadParser.field(head, lineEnds[i - 1] + 2, lineEnds[i], request.headers(), bad);
            }
            long body = HeadParser.requestBody(request, limits);
            RequestTarget.normalize(request);
            out.add(request);
            body(body, in, out);
        } else {
            DefaultHttpResponse response = HeadParser.statusLine(head, 0, lineEnds[0]);
            for (int i = 1; i < lineCount; i++) {
                HeadParser.field(head, lineEnds[i - 1] + 2, lineEnds[i], response.headers(), bad);
            }
            long body = HeadParser.responseBody(response, expected);
            out.add(response);
            int code = response.status().code();
            if (code == 101) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                expected = null;
                state = State.RAW;
            } else if (code < 200) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                body(body, in, out);
            }
        }
    }

    private void body(long body, ByteBuf in, List<Object> out) throws FramingException {
        bodyBytes = 0;
        if (body == HeadParser.NO_BODY) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            messageDone(in, out);
        } else if (body == HeadParser.CHUNKED) {
            state = State.CHUNK_SIZE;
        } else if (body == HeadParser.UNTIL_CLOSE) {
            state = State.UNTIL_CLOSE;
        } else {
            remaining = body;
            state = State.FIXED;
        }
    }

    private void messageDone(ByteBuf in, List<Object> out) {
        state = State.HEAD;
        if (mode == Mode.REQUEST) {
            paused = true;
        } else {
            expected = null;
            if (in.isReadable()) {
                state = State.FAILED;
                in.skipBytes(in.readableBytes());
                out.add(new FramingFailure(BAD_GATEWAY, "bytes after the end of the upstream's response"));
            }
        }
    }

    private void fixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (n == 0) {
            return;
        }
        ByteBuf data = in.readRetainedSlice(n);
        remaining -= n;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(data));
            messageDone(in, out);
        } else {
            out.add(new DefaultHttpContent(data));
        }
    }

    private void chunkSize(ByteBuf in) throws FramingException {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + MAX_CHUNK_LINE), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= MAX_CHUNK_LINE) {
                throw new FramingException(bad, "chunk size line too long");
            }
            return;
        }
        if (lf == start || in.getByte(lf - 1) != '\r') {
            throw new FramingException(bad, "bare LF in a chunk size line");
        }
        long size = ChunkLine.size(in, start, lf - 1, bad);
        in.readerIndex(lf + 1);
        if (size == 0) {
            trailers = null;
            trailerBytes = 0;
            lines = 0;
            state = State.TRAILERS;
            return;
        }
        bodyBytes += size;
        if (bodyBytes > limits.maxBodyBytes()) {
            throw new FramingException(mode == Mode.REQUEST ? REQUEST_ENTITY_TOO_LARGE : BAD_GATEWAY,
                    "request body larger than " + limits.maxBodyBytes() + " bytes");
        }
        remaining = size;
        state = State.CHUNK_DATA;
    }

    private void chunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (n == 0) {
            return;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
    }

    private void chunkEnd(ByteBuf in) throws FramingException {
        if (in.readableBytes() < 2) {
            if (in.isReadable() && in.getByte(in.readerIndex()) != '\r') {
                throw new FramingException(bad, "chunk data not followed by CRLF");
            }
            return;
        }
        if (in.getByte(in.readerIndex()) != '\r' || in.getByte(in.readerIndex() + 1) != '\n') {
            throw new FramingException(bad, "chunk data not followed by CRLF");
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
    }

    private void trailers(ByteBuf in, List<Object> out) throws FramingException {
        while (true) {
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (trailerBytes + in.readableBytes() > limits.maxHeaderBytes()) {
                    throw new FramingException(mode == Mode.REQUEST ? REQUEST_HEADER_FIELDS_TOO_LARGE : BAD_GATEWAY,
                            "trailer section larger than " + limits.maxHeaderBytes() + " bytes");
                }
                return;
            }
            if (lf == start || in.getByte(lf - 1) != '\r') {
                throw new FramingException(bad, "bare LF in the trailer section");
            }
            int length = lf - 1 - start;
            trailerBytes += length + 2;
            if (trailerBytes > limits.maxHeaderBytes() || ++lines > limits.maxHeaderCount()) {
                throw new FramingException(mode == Mode.REQUEST ? REQUEST_HEADER_FIELDS_TOO_LARGE : BAD_GATEWAY,
                        "trailer section too large");
            }
            if (length == 0) {
                in.readerIndex(lf + 1);
                lines = 0;
                out.add(trailers == null ? LastHttpContent.EMPTY_LAST_CONTENT
                        : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
                messageDone(in, out);
                return;
            }
            byte[] line = new byte[length];
            in.getBytes(start, line);
            if (trailers == null) {
                trailers = HeadParser.TRAILERS.newHeaders();
            }
            HeadParser.field(line, 0, length, trailers, bad);
            in.readerIndex(lf + 1);
            if (trailers.contains(HttpHeaderNames.CONTENT_LENGTH) || trailers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                    || trailers.contains(HttpHeaderNames.HOST)) {
                // RFC 9110 6.5.1: framing and routing fields must not come from trailers.
                throw new FramingException(bad, "framing or Host field in the trailer section");
            }
        }
    }
}

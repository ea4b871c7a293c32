package dev.hikkoshi.router.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Parses a chunk-size line (RFC 9112 section 7.1): {@code 1*HEXDIG *( BWS ";" BWS name [ BWS "=" BWS
 * ( token / quoted-string ) ] )}. Extensions are validated and dropped; anything else (signs, spaces inside
 * the size, a bare CR, a size over 2^60) is refused, since lax chunk parsing is a classic smuggling vector.
 */
final class ChunkLine {
    private ChunkLine() {
    }

    /** The chunk size in bytes [start, end) excluding CRLF. */
    static long size(ByteBuf in, int start, int end, HttpResponseStatus bad) throws FramingException {
        long size = 0;
        int i = start;
        while (i < end) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            if (i - start >= 15) {
                throw new FramingException(bad, "invalid chunk size");
            }
            size = size * 16 + digit;
            i++;
        }
        if (i == start) {
            throw new FramingException(bad, "invalid chunk size");
        }
        while (i < end) {
            i = skipWhitespace(in, i, end);
            if (i == end || in.getByte(i) != ';') {
                throw new FramingException(bad, i == end ? "invalid chunk size" : "invalid chunk size or extension");
            }
            i = skipWhitespace(in, i + 1, end);
            int nameStart = i;
            while (i < end && HeadParser.isTokenChar(in.getByte(i))) {
                i++;
            }
            if (i == nameStart) {
                throw new FramingException(bad, "invalid chunk extension");
            }
            int afterName = skipWhitespace(in, i, end);
            if (afterName < end && in.getByte(afterName) == '=') {
                i = skipWhitespace(in, afterName + 1, end);
                i = value(in, i, end, bad);
            }
        }
        return size;
    }

    private static int value(ByteBuf in, int i, int end, HttpResponseStatus bad) throws FramingException {
        if (i < end && in.getByte(i) == '"') {
            i++;
            while (i < end) {
                int b = in.getByte(i) & 0xff;
                if (b == '"') {
                    return i + 1;
                }
                if (b == '\\') {
                    i++;
                    if (i == end) {
                        break;
                    }
                    b = in.getByte(i) & 0xff;
                }
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    break;
                }
                i++;
            }
            throw new FramingException(bad, "invalid chunk extension");
        }
        int valueStart = i;
        while (i < end && HeadParser.isTokenChar(in.getByte(i))) {
            i++;
        }
        if (i == valueStart) {
            throw new FramingException(bad, "invalid chunk extension");
        }
        return i;
    }

    private static int skipWhitespace(ByteBuf in, int i, int end) {
        while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        return i;
    }
}

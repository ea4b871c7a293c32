package dev.hikkoshi.router.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Test-side HTTP/1.1 reading over blocking streams: heads, bodies by Content-Length, chunked or close. */
final class HttpWire {
    private HttpWire() {
    }

    /** A parsed message: first line, lower-cased header names, body, trailers. */
    record Message(String firstLine, Map<String, List<String>> headers, byte[] body, Map<String, List<String>> trailers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }

        int status() {
            return Integer.parseInt(firstLine.split(" ")[1]);
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads a head; null at a clean end of stream before any byte. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("end of stream inside a head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static Map<String, List<String>> headers(String head) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** Reads a request (body by Content-Length or chunked); null at end of stream. */
    static Message readRequest(InputStream in) throws IOException {
        return readRequest(in, null);
    }

    /** As {@link #readRequest(InputStream)}, answering {@code Expect: 100-continue} on {@code out} if given. */
    static Message readRequest(InputStream in, java.io.OutputStream out) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        Map<String, List<String>> headers = headers(head);
        if (out != null && headers.containsKey("expect")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        String firstLine = head.substring(0, head.indexOf("\r\n"));
        Map<String, List<String>> trailers = new LinkedHashMap<>();
        byte[] body;
        if (headers.containsKey("transfer-encoding")) {
            body = readChunked(in, trailers);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else {
            body = new byte[0];
        }
        return new Message(firstLine, headers, body, trailers);
    }

    /** Reads a response to a request with {@code method}; a body without framing runs to end of stream. */
    static Message readResponse(InputStream in, String method) throws IOException {
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return null;
            }
            Map<String, List<String>> headers = headers(head);
            String firstLine = head.substring(0, head.indexOf("\r\n"));
            int status = Integer.parseInt(firstLine.split(" ")[1]);
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            Map<String, List<String>> trailers = new LinkedHashMap<>();
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
                body = new byte[0];
            } else if (headers.containsKey("transfer-encoding")) {
                body = readChunked(in, trailers);
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
            } else {
                body = in.readAllBytes();
            }
            return new Message(firstLine, headers, body, trailers);
        }
    }

    static byte[] readChunked(InputStream in, Map<String, List<String>> trailers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            int semi = line.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            if (size == 0) {
                String t;
                while (!(t = readLine(in)).isEmpty()) {
                    int colon = t.indexOf(':');
                    trailers.computeIfAbsent(t.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(t.substring(colon + 1).trim());
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("end of stream in a line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}

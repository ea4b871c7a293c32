package dev.hikkoshi.router.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client for the acceptance tests: it writes the request exactly as given
 * (any Host, any header, including ones a real client library refuses to send) on a fresh connection with
 * {@code Connection: close}, and reads the whole response until the server closes.
 */
final class RawClient {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawClient() {
    }

    /** Sends {@code GET target} with the given extra header lines ("Name: value"). */
    static Response get(InetSocketAddress proxy, String host, String target, String... headerLines) throws IOException {
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        return exchange(proxy, req.toString());
    }

    static Response exchange(InetSocketAddress proxy, String rawRequest) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(proxy, 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return parse(all.toString(StandardCharsets.ISO_8859_1));
        }
    }

    private static Response parse(String raw) {
        int headEnd = raw.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IllegalStateException("no complete response head in: " + raw);
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        String body = raw.substring(headEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder b = new StringBuilder();
            int pos = 0;
            while (true) {
                int eol = body.indexOf("\r\n", pos);
                int size = Integer.parseInt(body.substring(pos, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                b.append(body, eol + 2, eol + 2 + size);
                pos = eol + 2 + size + 2;
            }
            body = b.toString();
        }
        return new Response(status, headers, body);
    }
}

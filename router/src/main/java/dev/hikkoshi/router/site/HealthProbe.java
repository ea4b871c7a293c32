package dev.hikkoshi.router.site;

import dev.hikkoshi.router.route.UpstreamTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One active health check: a fresh TCP connection, {@code GET path HTTP/1.1} with {@code Connection: close},
 * and the status line read within the timeout. Used by {@link SitePools}' check tasks.
 *
 * <p>Why a plain socket rather than {@code java.net.http.HttpClient}: a fresh connection per check sees a
 * restarted or black-holed upstream the way the proxy's new connections do (a pooled keep-alive connection
 * would hide it), and on Java 17 an {@code HttpClient} cannot be closed, so its threads would outlive
 * {@link SitePools#close()}.
 */
final class HealthProbe {
    private static final int MAX_STATUS_LINE = 1024;

    private HealthProbe() {
    }

    /** Empty when the upstream answered 200..399 in time; otherwise what went wrong, for the log. */
    static Optional<String> check(UpstreamTarget target, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), remainingMillis(deadline));
            socket.setSoTimeout(remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + target.authority()
                    + "\r\nUser-Agent: hikkoshi-health-check\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = readLine(socket, deadline);
            if (!statusLine.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
                return Optional.of("not an HTTP status line: " + truncate(statusLine));
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            return status >= 200 && status < 400 ? Optional.empty() : Optional.of("status " + status);
        } catch (SocketTimeoutException e) {
            return Optional.of("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String readLine(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_STATUS_LINE) {
            socket.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.route.ExchangeRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;

/** A started {@link ProxyServer} on 127.0.0.1 with {@link TestRouting} behind it, and raw-socket clients. */
final class ProxyFixture implements AutoCloseable {
    final TestRouting routing = new TestRouting();
    final LinkedBlockingQueue<ExchangeRecord> records = new LinkedBlockingQueue<>();
    final ProxyServer server;

    ProxyFixture(UnaryOperator<ProxySettings.Builder> settings) {
        ProxySettings s = settings.apply(ProxySettings.builder().listen(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(2).accessLog(false)).build();
        server = new ProxyServer(s, routing, routing, routing, records::add);
        server.start();
    }

    ProxyFixture() {
        this(b -> b);
    }

    Client client() throws IOException {
        return new Client(new Socket("127.0.0.1", server.boundAddress().getPort()));
    }

    /** Sends one request on a new connection and returns the response. */
    HttpWire.Message exchange(String request) throws IOException {
        try (Client c = client()) {
            c.send(request);
            return c.response(request.substring(0, request.indexOf(' ')));
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** A blocking client connection with a 10 s read timeout. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        HttpWire.Message response(String method) throws IOException {
            return HttpWire.readResponse(in, method);
        }

        HttpWire.Message response() throws IOException {
            return response("GET");
        }

        /** Whether the proxy closed the connection (end of stream or reset) within the read timeout. */
        boolean closedByPeer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

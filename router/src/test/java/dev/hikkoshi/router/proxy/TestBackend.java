package dev.hikkoshi.router.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test upstream on 127.0.0.1 with blocking sockets, one thread per connection, so that a test can make
 * it misbehave byte by byte. The default behaviour is a keep-alive HTTP/1.1 server answering
 * {@code "<name> <method> <uri> <body bytes>"} and recording every request.
 */
final class TestBackend implements AutoCloseable {
    /** What the backend does with one accepted connection. */
    interface Behaviour {
        void serve(int connection, InputStream in, OutputStream out, TestBackend backend) throws Exception;
    }

    /** One request as the upstream received it, with the number of the connection it came on. */
    record Received(HttpWire.Message message, int connection) {
    }

    final String name;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TestBackend(String name, Behaviour behaviour) throws IOException {
        this.name = name;
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "backend-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static TestBackend http(String name) throws IOException {
        return new TestBackend(name, TestBackend::echo);
    }

    static TestBackend raw(String name, Behaviour behaviour) throws IOException {
        return new TestBackend(name, behaviour);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                int n = connections.incrementAndGet();
                Thread t = new Thread(() -> {
                    try (s) {
                        behaviour.serve(n, new BufferedInputStream(s.getInputStream()), s.getOutputStream(), this);
                    } catch (Exception e) {
                        // The proxy closing a connection mid-way is part of several tests.
                    }
                }, "backend-" + name + "-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The default: keep-alive HTTP/1.1, answering each request with a short description of it. */
    static void echo(int connection, InputStream in, OutputStream out, TestBackend backend) throws IOException {
        HttpWire.Message request;
        while ((request = HttpWire.readRequest(in, out)) != null) {
            backend.received.add(new Received(request, connection));
            String[] parts = request.firstLine().split(" ");
            String body = backend.name + " " + parts[0] + " " + parts[1] + " " + request.body().length;
            boolean close = "close".equalsIgnoreCase(request.header("connection"));
            respond(out, 200, body, close);
            if (close) {
                return;
            }
        }
    }

    static void respond(OutputStream out, int status, String body, boolean close) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + bytes.length + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}

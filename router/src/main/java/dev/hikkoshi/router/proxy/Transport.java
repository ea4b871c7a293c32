package dev.hikkoshi.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The socket transport of the proxy's event loops, client and upstream side alike, best first. The proxy
 * asks for one in {@link ProxySettings#transport()} and gets the first, from there down, that this kernel
 * and JVM offer ({@link #firstAvailableFrom}): io_uring where the kernel allows it (seccomp profiles of
 * some container runtimes do not), epoll on other Linux kernels, NIO elsewhere.
 *
 * <p>Why io_uring first: on the router benchmark (bench/router.sh, loopback, small responses) most of the
 * proxy's CPU is the kernel's, and io_uring submits a loop turn's reads and writes in one system call where
 * epoll makes one per read, write and wait; the proxy's CPU per request dropped by about half against epoll
 * in the same conditions.
 */
public enum Transport {
    IO_URING, EPOLL, NIO;

    /** The first transport from {@code preferred} on that is available here (NIO always is). */
    public static Transport firstAvailableFrom(Transport preferred) {
        for (Transport t : values()) {
            if (t.ordinal() >= preferred.ordinal() && t.available()) {
                return t;
            }
        }
        return NIO;
    }

    boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends Channel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}

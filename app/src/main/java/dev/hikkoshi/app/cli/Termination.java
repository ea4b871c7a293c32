package dev.hikkoshi.app.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a latch, for the long-running commands ({@code router}, {@code run}, {@code controller}):
 * installed once the command runs, so a signal during start-up keeps the JVM's default (exit at once).
 */
public final class Termination {
    private Termination() {
    }

    /** Installs the handlers; the latch opens at the first SIGTERM or SIGINT. */
    public static CountDownLatch onSignal() {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        return stop;
    }
}

package dev.hikkoshi.cutover.move;

import dev.hikkoshi.router.Router;
import java.nio.file.Path;

/**
 * A router in its own JVM, started from a config file, so that a test can stop it with SIGSTOP (as a hung or
 * paused host would be) and continue it with SIGCONT. Prints {@code admin-port N} once it listens.
 */
public final class RouterChild {
    private RouterChild() {
    }

    public static void main(String[] args) throws Exception {
        Router router = Router.start(Path.of(args[0]), StepsFixture.ENV);
        System.out.println("admin-port " + router.adminAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}

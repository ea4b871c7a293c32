package dev.hikkoshi.app;

import dev.hikkoshi.app.cli.HikkoshiCommand;

/** Entry point of the {@code hikkoshi} command; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(HikkoshiCommand.run(args));
    }
}

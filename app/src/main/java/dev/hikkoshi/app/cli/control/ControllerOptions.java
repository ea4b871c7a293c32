package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.cutover.control.ControllerAdminConfig;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every operating command takes (a picocli mixin): the config file, whose {@code controller.admin}
 * says where the controller listens and which variables hold its tokens, and overrides for both. Opens the
 * {@link ControllerClient} the command talks through.
 */
public final class ControllerOptions {
    /** Where token variables are read; tests put their own here. */
    static Map<String, String> environment = System.getenv();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--token-env", paramLabel = "VAR",
            description = "the variable holding your controller admin token (default: the first variable of "
                    + "controller.admin.tokens that is set)")
    String tokenEnv;

    @Option(names = "--controller", paramLabel = "URL",
            description = "the controller's admin URL (default: from controller.admin.listen)")
    String controller;

    /** A client of the controller named by the config (or {@code --controller}). */
    ControllerClient client() {
        ControllerAdminConfig admin = ControllerAdminConfig.load(ConfigDocument.read(config));
        ControllerAdminConfig.ClientToken token = admin.clientToken(Optional.ofNullable(tokenEnv), environment);
        return new ControllerClient(controller == null ? admin.url() : url(controller), token.secret(),
                token.variable(), TIMEOUT);
    }

    /** The actor named locally; the controller records the name of the token instead. */
    static Actor actor() {
        return new Actor("cli:" + System.getProperty("user.name", "unknown"));
    }

    private static URI url(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UserException("--controller " + text + " is not a URL",
                    "write the controller's admin address as http://HOST:PORT, such as http://127.0.0.1:8090");
        }
    }
}

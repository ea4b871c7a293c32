package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.connect.DataContext;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.MDC;
import picocli.CommandLine.Option;

/**
 * Options every {@code hikkoshi data} subcommand takes (a picocli mixin): the config file and which sites are
 * the source and the target. Opens the {@link DataContext} the subcommand works with.
 */
public final class DataOptions {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--from", paramLabel = "SITE",
            description = "the source site (default: the first site with a database)")
    String from;

    @Option(names = "--to", paramLabel = "SITE",
            description = "the target site (default: the next site with a database)")
    String to;

    /** Reads the config and connects to both databases; the caller closes the context. */
    public DataContext open(int maxConnections) {
        MDC.put("component", "data");
        return DataContext.open(ConfigDocument.read(config), site(from, "--from"), site(to, "--to"), maxConnections);
    }

    public Path configFile() {
        return config;
    }

    private static Optional<SiteId> site(String name, String option) {
        if (name == null) {
            return Optional.empty();
        }
        if (!SiteId.isValid(name)) {
            throw new UserException(option + " " + name + " is not a site name",
                    "name a site of the config's sites section, such as legacy");
        }
        return Optional.of(SiteId.of(name));
    }
}

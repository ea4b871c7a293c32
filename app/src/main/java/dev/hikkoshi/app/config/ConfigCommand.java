package dev.hikkoshi.app.config;

import dev.hikkoshi.core.config.ConfigDocument;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hikkoshi config}: commands about the config file itself. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Checks the config file.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code hikkoshi config check -c FILE}: validates the whole file (every section it has, the references between
     * them, their limits, secrets set in this environment; {@code --for} a process, what that process needs) and
     * prints {@code config ok: FILE}, or every problem at once (exit 2).
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates the whole config file: every section, the references between them, their limits.")
    public static final class Check implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
        Path config;

        @Option(names = "--for", paramLabel = "PROCESS", defaultValue = "file", converter = UseConverter.class,
                description = "what to validate for: file (default: every section present, every secret), run,"
                        + " controller (not the router section's own), operator (database passwords only)")
        ConfigValidator.Use use;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ValidConfig valid = ConfigValidator.validate(ConfigDocument.read(config, System.getenv()), use);
            PrintWriter out = spec.commandLine().getOut();
            out.println("config ok: " + config);
            valid.notes().forEach(n -> out.println("note: " + n));
            out.flush();
            return 0;
        }
    }

    /** {@code --for file|run|controller|operator}. */
    static final class UseConverter implements CommandLine.ITypeConverter<ConfigValidator.Use> {
        @Override
        public ConfigValidator.Use convert(String value) {
            try {
                return ConfigValidator.Use.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of file, run,"
                        + " controller, operator");
            }
        }
    }
}

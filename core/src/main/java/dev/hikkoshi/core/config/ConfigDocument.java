package dev.hikkoshi.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;

/**
 * A config file read from disk and parsed as YAML, not yet bound: each command binds the sections it uses
 * ({@link CommonConfig}, the router's, the data engine's...) from {@link #root()} into one shared
 * {@link ConfigProblems}, then calls {@link ConfigProblems#throwIfAny}.
 */
public final class ConfigDocument {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final JsonNode tree;
    private final ConfigProblems problems = new ConfigProblems();
    private final KeyReads reads = new KeyReads();
    private final Map<String, String> environment;

    private ConfigDocument(Path file, JsonNode tree, Map<String, String> environment) {
        this.file = file;
        this.tree = tree;
        this.environment = Map.copyOf(environment);
    }

    /** Reads a config file, resolving {@code *-env} secrets from the process environment. */
    public static ConfigDocument read(Path file) {
        return read(file, System.getenv());
    }

    public static ConfigDocument read(Path file, Map<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserException("config file " + file + " does not exist",
                    "pass the path of your config file with -c/--config FILE");
        } catch (IOException e) {
            throw new UserException("config file " + file + " cannot be read: " + e.getMessage(),
                    "check the file's permissions");
        }
        return parse(file, text, environment);
    }

    /** Parses config text; {@code file} names it in messages. */
    public static ConfigDocument parse(Path file, String text, Map<String, String> environment) {
        try {
            JsonNode tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new UserException("config file " + file + " is empty",
                        "start from the example in docs/config.md");
            }
            if (!tree.isObject()) {
                throw new UserException("config file " + file + " is not a YAML map of sections",
                        "start from the example in docs/config.md");
            }
            return new ConfigDocument(file, tree, environment);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new UserException("config file " + file + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""),
                    "fix the YAML syntax there (indentation with spaces, a space after each ':', no duplicate keys)");
        }
    }

    public Path file() {
        return file;
    }

    public ConfigNode root() {
        return new ConfigNode("", "", tree, problems, environment, reads);
    }

    /**
     * Every key path binders have read from this document so far, with {@code NAME} for map keys chosen by the
     * user and {@code []} for list items ({@code sites.NAME.database.url}, {@code plan.waves[].tenants}),
     * sorted, and every key a binder accepts ({@link ConfigNode#allowOnly}). Read whether present or not: a
     * binder asks for every key it knows. Used by the test that keeps
     * the config catalogs (docs/config.md) equal to what the binders read.
     */
    public SortedSet<String> keysRead() {
        return reads.patterns();
    }

    public ConfigProblems problems() {
        return problems;
    }

    /** Throws a {@link ConfigException} with every problem recorded so far. */
    public void throwIfProblems() {
        problems.throwIfAny(file);
    }
}

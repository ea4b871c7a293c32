package dev.hikkoshi.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One node of a parsed config file with its dotted path ({@code router.freeze.max-hold}). Section binders
 * read typed values through it; a bad value is recorded in the shared {@link ConfigProblems} as
 * {@code path: value (expected: ...)} and the default is returned, so binding always finishes and the user
 * sees every problem at once.
 */
public final class ConfigNode {
    private final String path;
    /** The path with map keys as {@code NAME} and list indices as {@code []}: what {@link KeyReads} records. */
    private final String pattern;
    private final JsonNode node;
    private final ConfigProblems problems;
    private final Map<String, String> environment;
    private final KeyReads reads;

    ConfigNode(String path, String pattern, JsonNode node, ConfigProblems problems, Map<String, String> environment,
               KeyReads reads) {
        this.path = path;
        this.pattern = pattern;
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.problems = problems;
        this.environment = environment;
        this.reads = reads;
    }

    public String path() {
        return path;
    }

    public ConfigProblems problems() {
        return problems;
    }

    public boolean isPresent() {
        return !node.isMissingNode();
    }

    public boolean isMap() {
        return node.isObject();
    }

    public boolean isList() {
        return node.isArray();
    }

    public boolean isScalar() {
        return node.isValueNode();
    }

    /**
     * A child of a map node; missing (not a problem) when absent. The key is recorded as read (docs/config.md's
     * catalog is checked against what binders read); a key of a map enumerated with {@link #entries} is a name
     * chosen by the user and recorded as {@code NAME}.
     */
    public ConfigNode get(String key) {
        String childPattern = reads.isNameMap(path) ? childPattern("NAME") : childPattern(key);
        reads.read(childPattern);
        return new ConfigNode(childPath(key), childPattern, node.get(key), problems, environment, reads);
    }

    /** Records a problem with this node's value. */
    public void problem(String expected) {
        problems.add(path, display(), expected);
    }

    /** Records a problem about this node with a value text of the caller's choosing. */
    public void problem(String value, String expected) {
        problems.add(path, value, expected);
    }

    /** The value as shown in problem lines: scalars as written, structures compactly, absence as "(missing)". */
    public String display() {
        if (node.isMissingNode()) {
            return "(missing)";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        String s = node.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Requires this node to be present; records "(missing)" otherwise. */
    public boolean require(String expected) {
        if (!isPresent()) {
            problem(expected);
            return false;
        }
        return true;
    }

    /** Reports every key of this map that is not one of {@code allowed} (typos must not pass silently). */
    public void allowOnly(String... allowed) {
        if (!node.isObject()) {
            return;
        }
        List<String> known = Arrays.asList(allowed);
        // Accepted keys count as read: a key accepted here but bound elsewhere still needs its reference row.
        known.forEach(k -> reads.read(childPattern(k)));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(childPath(key), "unknown key", "one of " + String.join(", ", known));
            }
        }
    }

    /** The entries of a map node in file order; empty (with a problem) if the node is not a map. */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!isPresent()) {
            return out;
        }
        if (!node.isObject()) {
            problem("a map of names to values");
            return out;
        }
        reads.nameMap(path);
        node.fields().forEachRemaining(e -> out.put(e.getKey(),
                new ConfigNode(childPath(e.getKey()), childPattern("NAME"), e.getValue(), problems, environment, reads)));
        return out;
    }

    /** The items of a list node; a single scalar counts as a list of one only where the caller says so. */
    public List<ConfigNode> items() {
        List<ConfigNode> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (!node.isArray()) {
            problem("a list");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(path + "[" + i + "]", pattern + "[]", node.get(i), problems, environment, reads));
        }
        return out;
    }

    /** The scalar text of this node, or empty if absent; a map or list here is a problem. */
    public Optional<String> text() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            problem("a single value, not a " + (node.isArray() ? "list" : "map"));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    public String text(String defaultValue) {
        return text().orElse(defaultValue);
    }

    /** Text that must be present and not blank. */
    public Optional<String> requiredText(String expected) {
        Optional<String> t = text();
        if (t.isEmpty() || t.get().isBlank()) {
            if (isPresent() && t.isPresent()) {
                problem(expected);
            } else if (!isPresent()) {
                problem(expected);
            }
            return Optional.empty();
        }
        return t;
    }

    public long integer(long defaultValue, long min, long max) {
        if (!isPresent()) {
            return defaultValue;
        }
        String expected = "an integer from " + min + " to " + max;
        if (!node.isIntegralNumber() && !(node.isTextual() && node.asText().matches("-?\\d+"))) {
            problem(expected);
            return defaultValue;
        }
        try {
            long v = node.isIntegralNumber() ? node.longValue() : Long.parseLong(node.asText());
            if (v < min || v > max) {
                problem(expected);
                return defaultValue;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(expected);
            return defaultValue;
        }
    }

    public boolean bool(boolean defaultValue) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        problem("true or false");
        return defaultValue;
    }

    /** A duration in config syntax, at least {@code min}. */
    public Duration duration(Duration defaultValue, Duration min) {
        Optional<String> t = text();
        if (t.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> d = DurationText.parse(t.get());
        if (d.isEmpty() || d.get().compareTo(min) < 0) {
            problem(DurationText.FORMAT + (min.isZero() ? "" : ", at least " + DurationText.format(min)));
            return defaultValue;
        }
        return d.get();
    }

    public ByteSize size(ByteSize defaultValue, ByteSize min) {
        if (!isPresent()) {
            return defaultValue;
        }
        Optional<ByteSize> s = node.isIntegralNumber() ? Optional.of(new ByteSize(Math.max(0, node.longValue())))
                : text().flatMap(ByteSize::parse);
        if (s.isEmpty() || s.get().bytes() < min.bytes()) {
            problem(ByteSize.FORMAT + (min.bytes() == 0 ? "" : ", at least " + min));
            return defaultValue;
        }
        return s.get();
    }

    /**
     * One of an enum's constants, spelled in the config in lower case with '-' for '_'
     * ({@code LEAST_CONNECTIONS} is {@code least-connections}).
     */
    public <E extends Enum<E>> E choice(Class<E> type, E defaultValue) {
        Optional<String> t = text();
        if (t.isEmpty()) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equals(t.get())) {
                return e;
            }
        }
        problem("one of " + Arrays.stream(type.getEnumConstants()).map(ConfigNode::spelling)
                .collect(Collectors.joining(", ")));
        return defaultValue;
    }

    /** How an enum constant is written in config files. */
    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A listen address {@code host:port} or {@code [v6]:port}; port 0 picks a free port. */
    public InetSocketAddress address(String defaultValue) {
        String t = text().orElse(defaultValue);
        Optional<InetSocketAddress> a = parseAddress(t);
        if (a.isEmpty()) {
            problem(t, "host:port such as 127.0.0.1:8080 or [::1]:8080, port from 0 to 65535");
            return parseAddress(defaultValue).orElseThrow();
        }
        return a.get();
    }

    static Optional<InetSocketAddress> parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535 || host.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(InetSocketAddress.createUnresolved(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A secret named by an environment variable ({@code password-env: NAME}); records a problem naming the
     * variable (never its value) when it is not set.
     */
    public Optional<String> secretFromEnvironment() {
        Optional<String> name = text();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String value = environment.get(name.get());
        if (value == null || value.isEmpty()) {
            problem(name.get(), "the name of an environment variable that is set and not empty");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String childPattern(String key) {
        return pattern.isEmpty() ? key : pattern + "." + key;
    }
}

package dev.hikkoshi.data.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A site's database URL, {@code jdbc:mariadb://host[:port]/schema[?key=value&...]} or the same with
 * {@code jdbc:mysql:}. hikkoshi always connects with MariaDB Connector/J, which speaks to MySQL and MariaDB
 * alike. {@link #toString()} masks password parameters, so a URL can be logged and printed in errors.
 */
public record DatabaseUrl(String scheme, String host, int port, String schema, Map<String, String> parameters) {
    /** URL parameters that carry secrets; their values are masked wherever a URL is shown. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("password", "pwd", "password1", "password2",
            "password3", "keystorepassword", "truststorepassword", "keypassword");
    private static final Pattern URL = Pattern.compile(
            "jdbc:(mariadb|mysql)://([^/:?@\\[\\]]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?/([^?/]+)(?:\\?(.*))?");

    public DatabaseUrl {
        // Kept in the order written: the URL is shown back to the user.
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Parses a URL; empty when it is not of the form above. */
    public static Optional<DatabaseUrl> parse(String text) {
        Matcher m = URL.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = m.group(3) == null ? 3306 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(5) != null && !m.group(5).isEmpty()) {
            for (String pair : m.group(5).split("&")) {
                int eq = pair.indexOf('=');
                params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return Optional.of(new DatabaseUrl(m.group(1), m.group(2), port, m.group(4), params));
    }

    /** Masks password parameters in URL-like text; used on text that may embed a URL (driver messages). */
    public static String redact(String text) {
        return text.replaceAll("(?i)((?:" + String.join("|", SECRET_PARAMETERS) + ")=)[^&\\s,)]*", "$1***");
    }

    /** {@code host:port}, as messages name a server. */
    public String address() {
        return host + ":" + port;
    }

    /** True when a parameter carries a secret (it is masked when shown). */
    public static boolean isSecret(String parameter) {
        return SECRET_PARAMETERS.contains(parameter.toLowerCase(Locale.ROOT));
    }

    /** The URL for MariaDB Connector/J, with the user's parameters and {@code extra} ones (extra win). */
    public String driverUrl(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.putAll(extra);
        String query = all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return "jdbc:mariadb://" + host + ":" + port + "/" + schema + (query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public String toString() {
        String query = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "***" : e.getValue()))
                .collect(Collectors.joining("&"));
        return "jdbc:" + scheme + "://" + host + ":" + port + "/" + schema + (query.isEmpty() ? "" : "?" + query);
    }
}

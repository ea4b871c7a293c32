package dev.hikkoshi.watch.alert;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An alert's labels, sorted by name so that equal label sets print and compare the same. The label set is the
 * alert's identity: two events with equal labels are the same alert (deduplication), and its
 * {@link #fingerprint()} names it in messages and in the audit log.
 */
public record Labels(Map<String, String> values) {
    /** Label names usable in matchers, group-by lists and the event file. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    public static final String ENV = "env";
    public static final String SITE = "site";
    public static final String TENANT = "tenant";
    public static final String CHECK = "check";
    public static final String SEVERITY = "severity";

    public Labels {
        values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static Labels of(String... nameValuePairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            m.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return new Labels(m);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A copy with one label set (replacing any value it had). */
    public Labels with(String name, String value) {
        Map<String, String> m = new TreeMap<>(values);
        m.put(name, value);
        return new Labels(m);
    }

    /** Only the named labels, in name order; a label the alert lacks is left out. */
    public Labels only(java.util.List<String> names) {
        Map<String, String> m = new TreeMap<>();
        names.forEach(n -> get(n).ifPresent(v -> m.put(n, v)));
        return new Labels(m);
    }

    /** {@code check=http-5xx site=cloud tenant=acme}: the identity as people read it. */
    public String fingerprint() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return fingerprint();
    }
}

package dev.hikkoshi.core.routing;

import java.util.regex.Pattern;

/** The name of a site ({@code legacy}, {@code cloud}): a pool of HTTP upstreams plus its database. */
public record SiteId(String value) implements Comparable<SiteId> {
    public static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public SiteId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid site name: " + value
                    + " (expected: 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter)");
        }
    }

    public static SiteId of(String value) {
        return new SiteId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public int compareTo(SiteId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

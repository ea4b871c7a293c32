package dev.hikkoshi.core.tenant;

import java.util.regex.Pattern;

/**
 * A tenant's name as operators, routers and the data engine speak of it ({@code acme}); the database id
 * it maps to is carried by {@link Tenant}.
 */
public record TenantId(String value) implements Comparable<TenantId> {
    /** Names must be usable in host names, paths and headers without escaping. */
    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public TenantId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid tenant name: " + value
                    + " (expected: 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit)");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /**
     * Whether {@code value} matches {@link #VALID}. Checked by hand rather than with the pattern: the router
     * asks it for every request (twice, with the constructor), and the regular expression was a visible
     * part of its CPU per request.
     */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > 63 || !letterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!letterOrDigit(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

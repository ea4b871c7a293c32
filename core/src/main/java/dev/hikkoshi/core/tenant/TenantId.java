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
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tenant name: " + value
                    + " (expected: 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit)");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
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

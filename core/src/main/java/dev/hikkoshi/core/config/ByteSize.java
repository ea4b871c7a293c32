package dev.hikkoshi.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes written as in config files: {@code 512}, {@code 64KiB}, {@code 10MiB}, {@code 1GiB}. */
public record ByteSize(long bytes) {
    public static final String FORMAT = "a size such as 65536, 64KiB, 10MiB or 1GiB";
    private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*(B|KIB|KB|K|MIB|MB|M|GIB|GB|G)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + bytes);
        }
    }

    public static ByteSize ofKiB(long kib) {
        return new ByteSize(kib * 1024);
    }

    public static ByteSize ofMiB(long mib) {
        return new ByteSize(mib * 1024 * 1024);
    }

    /** Parses the config syntax; K, M and G mean powers of 1024, as memory sizes do. */
    public static Optional<ByteSize> parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            long factor = switch (unit.charAt(0)) {
                case 'K' -> 1024L;
                case 'M' -> 1024L * 1024;
                case 'G' -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            return Optional.of(new ByteSize(Math.multiplyExact(n, factor)));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GiB";
        }
        if (bytes != 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MiB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return Long.toString(bytes);
    }
}

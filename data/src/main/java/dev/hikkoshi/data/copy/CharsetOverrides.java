package dev.hikkoshi.data.copy;

import java.util.Optional;

/**
 * What the bytes of a source column really are, when the config says so ({@code charset-overrides}: a latin1
 * column holding UTF-8 or cp932 bytes). The site's {@code DatabaseConfig::charsetOverride} is one.
 */
@FunctionalInterface
public interface CharsetOverrides {
    CharsetOverrides NONE = (table, column) -> Optional.empty();

    Optional<String> charsetOverride(String table, String column);
}

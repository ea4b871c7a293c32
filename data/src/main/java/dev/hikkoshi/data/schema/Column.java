package dev.hikkoshi.data.schema;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One column of a {@link Table} as information_schema describes it. {@code dataType} is the bare type
 * ({@code varchar}), {@code columnType} the full one ({@code varchar(255)}, {@code int(10) unsigned},
 * {@code enum('a','b')}); charset and collation are present for text columns only. Copy and verification
 * read values by these types; generated columns are never written.
 */
public record Column(String name, int ordinal, String dataType, String columnType, boolean nullable,
                     Optional<String> charset, Optional<String> collation, Optional<String> generationExpression,
                     boolean autoIncrement) {
    public Column {
        Objects.requireNonNull(name, "name");
        dataType = dataType.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(columnType, "columnType");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(collation, "collation");
        Objects.requireNonNull(generationExpression, "generationExpression");
    }

    /** A VIRTUAL or STORED generated column: its value is computed by the server, never copied. */
    public boolean generated() {
        return generationExpression.isPresent();
    }

    /** Character types: char, varchar, the text types, enum and set. */
    public boolean textual() {
        return charset.isPresent();
    }
}

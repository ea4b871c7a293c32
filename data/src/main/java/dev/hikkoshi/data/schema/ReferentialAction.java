package dev.hikkoshi.data.schema;

import java.util.Locale;

/** What a {@link ForeignKey} does to child rows when the parent row is deleted or its key updated. */
public enum ReferentialAction {
    RESTRICT, CASCADE, SET_NULL, NO_ACTION, SET_DEFAULT;

    /** Parses information_schema's spelling ({@code SET NULL}, {@code NO ACTION}). */
    public static ReferentialAction parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
    }

    /** The SQL spelling. */
    public String sql() {
        return name().replace('_', ' ');
    }
}

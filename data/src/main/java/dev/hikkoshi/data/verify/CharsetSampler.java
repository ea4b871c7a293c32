package dev.hikkoshi.data.verify;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Table;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Warns when a latin1 column looks like it holds UTF-8 or cp932 (Shift_JIS) bytes, as Japanese legacy
 * applications often stored them: such a column copied as latin1 turns into mojibake on a utf8mb4 target, and
 * the fix is a {@code charset-overrides} entry. Reads at most {@link #SCANNED_ROWS} rows per column, keeps the
 * values with a byte above 0x7F, and judges them in Java by strict decoding. Used by {@code data verify} and
 * {@code data inspect}; columns that already have an override are skipped.
 */
public final class CharsetSampler {
    /** Rows read per column: the check must stay cheap on a 50 GB legacy database. */
    static final int SCANNED_ROWS = 10_000;
    /** Share of the non-ASCII values that must decode for a guess. */
    private static final double THRESHOLD = 0.9;

    /** A latin1 column whose bytes look like another charset's. */
    public record Finding(String table, String column, String looksLike, String overrideCharset, int nonAscii,
                          int matching) {
        /** The warning line. */
        public String describe() {
            return "column " + quote(table) + "." + quote(column) + " is latin1, but " + matching + " of its " + nonAscii
                    + " sampled non-ASCII values are valid " + looksLike + ": it probably holds " + looksLike + " bytes";
        }

        /** What to add to the config if the guess is right. */
        public String hint(String site) {
            return "if so, add charset-overrides: {" + table + "." + column + ": " + overrideCharset + "} to sites." + site
                    + ".database, so that copy and verification read its bytes as " + looksLike;
        }
    }

    private final VerifySide source;

    public CharsetSampler(VerifySide source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Samples every latin1 column of {@code tables} for which {@code overridden} is false. */
    public List<Finding> sample(List<Table> tables, BiPredicate<String, String> overridden) {
        List<Finding> out = new ArrayList<>();
        try (Connection c = source.open(); Statement s = c.createStatement()) {
            for (Table table : tables) {
                for (Column column : table.columns()) {
                    if (column.charset().map(cs -> cs.equalsIgnoreCase("latin1")).orElse(false) && !column.generated()
                            && !overridden.test(table.name(), column.name())) {
                        judge(table.name(), column.name(), nonAsciiValues(s, table, column)).ifPresent(out::add);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("sampling latin1 columns for UTF-8 and cp932 bytes", source.description(), e);
        }
        return out;
    }

    /**
     * The raw bytes of the sampled values holding a byte above 0x7F. The hex test works on every server from
     * MySQL 5.0 (no binary-safe regular expressions there): a byte pair at an even offset starting with 8 to F.
     */
    private List<byte[]> nonAsciiValues(Statement s, Table table, Column column) throws SQLException {
        String c = quote(column.name());
        String sql = "SELECT CAST(" + c + " AS BINARY) FROM (SELECT " + c + " FROM " + qualified(source.schema(), table.name())
                + " LIMIT " + SCANNED_ROWS + ") AS hk_sample WHERE HEX(" + c + ") REGEXP '^(..)*[89A-F]'";
        List<byte[]> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
        }
        return values;
    }

    static java.util.Optional<Finding> judge(String table, String column, List<byte[]> nonAscii) {
        if (nonAscii.isEmpty()) {
            return java.util.Optional.empty();
        }
        int utf8 = (int) nonAscii.stream().filter(v -> decodes(v, StandardCharsets.UTF_8, false)).count();
        if (utf8 >= THRESHOLD * nonAscii.size()) {
            return java.util.Optional.of(new Finding(table, column, "UTF-8", "utf8mb4", nonAscii.size(), utf8));
        }
        int cp932 = (int) nonAscii.stream().filter(v -> decodes(v, Charset.forName("windows-31j"), true)).count();
        if (cp932 >= THRESHOLD * nonAscii.size()) {
            return java.util.Optional.of(new Finding(table, column, "cp932 (Shift_JIS)", "cp932", nonAscii.size(), cp932));
        }
        return java.util.Optional.empty();
    }

    /** Strict decoding; with {@code japanese}, the text must also hold kana or kanji (cp932 decodes much latin1 text). */
    private static boolean decodes(byte[] value, Charset charset, boolean japanese) {
        try {
            String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            return !japanese || text.codePoints().anyMatch(CharsetSampler::japaneseLetter);
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean japaneseLetter(int cp) {
        Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
        return block == Character.UnicodeBlock.HIRAGANA || block == Character.UnicodeBlock.KATAKANA
                || block == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS
                || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }
}

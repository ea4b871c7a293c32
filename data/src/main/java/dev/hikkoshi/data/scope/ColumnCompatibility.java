package dev.hikkoshi.data.scope;

import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.ServerInfo;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a target column can hold every value of a source column: same type, or a wider one of the
 * same family (int to bigint, varchar(50) to varchar(100), text to mediumtext, DECIMAL(10,2) to
 * DECIMAL(12,2), an ENUM with more values), and a charset that holds every character of the source's (the
 * charset override, when the config gives one). Used by {@link ScopeResolver}.
 */
final class ColumnCompatibility {
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final List<String> TEXTS = List.of("tinytext", "text", "mediumtext", "longtext");
    private static final List<String> BLOBS = List.of("tinyblob", "blob", "mediumblob", "longblob");
    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)(?:,(\\d+))?\\)");
    /** Charsets whose every character fits in utf8mb3 (the BMP). */
    private static final Set<String> BMP_CHARSETS = Set.of("latin1", "ascii", "utf8", "utf8mb3", "cp932", "sjis", "ujis",
            "eucjpms", "latin2", "cp1250", "cp1251", "cp1252", "greek", "hebrew", "koi8r", "ucs2");

    private ColumnCompatibility() {
    }

    /** Empty when the target server can create the source column; else why not, for a message. */
    static Optional<String> unsupportedOnServer(Column source, Optional<String> charset, ServerInfo target) {
        if (charset.map("utf8mb4"::equals).orElse(false) && !target.supportsUtf8mb4()) {
            return Optional.of("utf8mb4");
        }
        if (source.dataType().equals("json") && !target.supportsJson()) {
            return Optional.of("json");
        }
        return Optional.empty();
    }

    /** True when every value of the source column's type fits the target column's type. */
    static boolean typeHolds(Column source, Column target) {
        String s = normalized(source.columnType());
        String t = normalized(target.columnType());
        if (s.equals(t)) {
            return true;
        }
        String sType = source.dataType();
        String tType = target.dataType();
        if (INTEGERS.contains(sType) && INTEGERS.contains(tType)) {
            int rankS = INTEGERS.indexOf(sType);
            int rankT = INTEGERS.indexOf(tType);
            boolean unsignedS = s.contains("unsigned");
            boolean unsignedT = t.contains("unsigned");
            if (unsignedS == unsignedT) {
                return rankT >= rankS;
            }
            return unsignedS && rankT > rankS; // signed target one size up holds an unsigned source
        }
        if ((sType.equals("varchar") || sType.equals("char")) && (tType.equals("varchar") || tType.equals("char"))) {
            return !(sType.equals("varchar") && tType.equals("char")) && length(t) >= length(s);
        }
        if ((sType.equals("varchar") || sType.equals("char")) && TEXTS.contains(tType)) {
            return TEXTS.indexOf(tType) >= 1 || length(s) <= 255;
        }
        if (TEXTS.contains(sType) && TEXTS.contains(tType)) {
            return TEXTS.indexOf(tType) >= TEXTS.indexOf(sType);
        }
        if (sType.equals("varbinary") && tType.equals("varbinary")) {
            return length(t) >= length(s);
        }
        if (sType.equals("varbinary") && BLOBS.contains(tType)) {
            return BLOBS.indexOf(tType) >= 1 || length(s) <= 255;
        }
        if (BLOBS.contains(sType) && BLOBS.contains(tType)) {
            return BLOBS.indexOf(tType) >= BLOBS.indexOf(sType);
        }
        if (sType.equals("decimal") && tType.equals("decimal")) {
            int[] ps = precisionScale(s);
            int[] pt = precisionScale(t);
            return pt[1] >= ps[1] && pt[0] - pt[1] >= ps[0] - ps[1] && s.contains("unsigned") == t.contains("unsigned");
        }
        if (sType.equals("float") && tType.equals("double")) {
            return true;
        }
        if (sType.equals(tType) && (sType.equals("datetime") || sType.equals("timestamp") || sType.equals("time"))) {
            return length(t) >= length(s); // fractional seconds
        }
        if (sType.equals(tType) && (sType.equals("enum") || sType.equals("set"))) {
            return sType.equals("enum") && values(t).containsAll(values(s));
        }
        return false;
    }

    /** True when every character of {@code sourceCharset} exists in {@code targetCharset}. */
    static boolean charsetHolds(String sourceCharset, String targetCharset) {
        if (sourceCharset.equals(targetCharset) || targetCharset.equals("utf8mb4")) {
            return true;
        }
        if (targetCharset.equals("utf8") || targetCharset.equals("utf8mb3")) {
            return BMP_CHARSETS.contains(sourceCharset);
        }
        return sourceCharset.equals("ascii") && Set.of("latin1", "cp932", "sjis", "ujis", "eucjpms").contains(targetCharset);
    }

    /** Lower case, without integer display widths ({@code int(11)} is {@code int}) and without zerofill. */
    static String normalized(String columnType) {
        String t = columnType.toLowerCase(Locale.ROOT).replace(" zerofill", "").trim();
        for (String i : INTEGERS) {
            if (t.startsWith(i + "(")) {
                t = i + t.substring(t.indexOf(')') + 1);
            }
        }
        return t;
    }

    private static long length(String type) {
        Matcher m = LENGTH.matcher(type);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static int[] precisionScale(String type) {
        Matcher m = LENGTH.matcher(type);
        if (!m.find()) {
            return new int[] {10, 0};
        }
        return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }

    private static List<String> values(String type) {
        int open = type.indexOf('(');
        int close = type.lastIndexOf(')');
        if (open < 0 || close < open) {
            return List.of();
        }
        return List.of(type.substring(open + 1, close).split(",(?=')"));
    }
}

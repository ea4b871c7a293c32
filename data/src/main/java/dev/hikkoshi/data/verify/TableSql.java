package dev.hikkoshi.data.verify;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;
import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;

import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Table;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The statements verification runs on one side of one table, and how their parameters are bound and their
 * keys read. Identifiers are quoted; values (tenant id, chunk bounds, keys) are always parameters. The SQL
 * stays within MySQL 5.0: MD5, CONCAT_WS, CONV, DATE_FORMAT, and key bounds spelled out as OR/AND rather than
 * row constructors, which MySQL before 5.7 cannot use an index for.
 */
final class TableSql {
    private final String from;
    private final List<CanonicalColumn> keys;
    private final List<CanonicalColumn> hashed;
    private final List<CanonicalColumn> inJava;
    private final List<CanonicalColumn> all;
    /** Hashed columns that may be NULL on either side: the only ones the null map needs. */
    private final List<CanonicalColumn> nullable;
    private final Optional<String> predicate;
    private final Optional<String> tenantId;
    private final boolean source;
    private final boolean numberKey;

    TableSql(VerifySide side, TableToVerify table, List<CanonicalColumn> columns, boolean source) {
        this.from = qualified(side.schema(), source ? table.source().name() : table.target().name())
                + " AS " + TableToVerify.ALIAS;
        this.keys = table.key().columns().stream()
                .map(k -> columns.stream().filter(c -> c.name().equalsIgnoreCase(k)).findFirst().orElseThrow())
                .toList();
        this.all = columns;
        this.hashed = columns.stream().filter(c -> !c.kind().comparedInJava()).toList();
        this.inJava = columns.stream().filter(c -> c.kind().comparedInJava()).toList();
        this.nullable = hashed.stream().filter(c -> nullable(table.source(), c) || nullable(table.target(), c)).toList();
        this.predicate = table.predicate(side.schema());
        this.tenantId = table.tenantId();
        this.source = source;
        this.numberKey = keys.size() == 1 && keys.get(0).kind() == ColumnKind.INTEGER
                && plainInteger(table.source(), keys.get(0)) && plainInteger(table.target(), keys.get(0));
    }

    private static boolean plainInteger(Table table, CanonicalColumn c) {
        return table.column(c.name()).map(col -> ColumnKind.of(col) == ColumnKind.INTEGER
                && !col.columnType().toLowerCase(java.util.Locale.ROOT).contains("zerofill")).orElse(false);
    }

    private static boolean nullable(Table table, CanonicalColumn c) {
        return table.column(c.name()).map(Column::nullable).orElse(true);
    }

    private CanonicalColumn.Side side(CanonicalColumn c) {
        return source ? c.source() : c.target();
    }

    boolean hasJavaColumns() {
        return !inJava.isEmpty();
    }

    List<CanonicalColumn> javaColumns() {
        return inJava;
    }

    List<CanonicalColumn> columns() {
        return all;
    }

    int keySize() {
        return keys.size();
    }

    /**
     * The row's 64-bit hash: the first 64 bits of the MD5 of its canonical text. The text is every hashed column,
     * then the null map of those that may be NULL on either side (a column NOT NULL on both would add a constant
     * 0 to every row; leaving them out is a tenth of the servers' work on a table of NOT NULL columns), then the
     * byte lengths of the CHAR/VARCHAR/ENUM/SET values (long text and
     * binary values are fixed-length hashes or hex already). MD5 because chunks are compared by the XOR of their
     * rows' hashes: with a linear hash such as CRC32, two rows of a chunk changed by the same bits at the same
     * place (two values swapped, or the same edit to rows of equal length) change the XOR by the same amount twice
     * and cancel out, and the chunk passed as equal (VerifyRepairIT shows such a pair). MD5 exists on MySQL 5.0 and
     * costs about twice CRC32; this is a check against copy errors, not against an adversary.
     */
    String rowHash() {
        return "CAST(CONV(LEFT(MD5(" + rowText() + "), 16), 16, 10) AS UNSIGNED)";
    }

    /** The row's canonical text, whose MD5 is its hash (see {@link #rowHash}). */
    private String rowText() {
        String a = TableToVerify.ALIAS;
        String values = hashed.stream().map(c -> c.hashExpression(side(c), a)).collect(Collectors.joining(", "));
        String nulls = nullable.stream().map(c -> "ISNULL(" + column(a, c.name()) + ")").collect(Collectors.joining(", "));
        String nullMap = nulls.isEmpty() ? "" : ", CONCAT(" + nulls + ")";
        // The byte lengths of the text values, so that a '#' moving from one value into the next changes the hash.
        String lengths = hashed.stream().filter(c -> c.kind() == ColumnKind.TEXT)
                .map(c -> "LENGTH(" + CanonicalColumn.hashedText(side(c), column(a, c.name())) + ")")
                .collect(Collectors.joining(", "));
        String lengthMap = lengths.isEmpty() ? "" : ", CONCAT_WS(',', " + lengths + ")";
        return "CONCAT_WS('#', " + values + nullMap + lengthMap + ")";
    }

    /**
     * Row count and the BIT_XOR of the rows' 64-bit hashes: independent of the order the server reads the rows
     * in, and integer arithmetic only. Two equal hashes would cancel, but every row's text holds its unique key.
     */
    String checksum(KeyRange range) {
        return "SELECT COUNT(*), BIT_XOR(" + rowHash() + ") FROM " + from + where(range);
    }

    /**
     * The key and the row hash of every row of the chunk, the hash as the 16 hex digits {@link #rowHash} converts
     * to a number: Java parses them ({@link RowHashes}), which spares the servers CONV and CAST on every row.
     */
    String rowHashes(KeyRange range) {
        return "SELECT " + keyList() + ", LEFT(MD5(" + rowText() + "), 16) FROM " + from + where(range);
    }

    /**
     * True when the row key is one integer column on both sides, without ZEROFILL: its keys are read as longs and
     * printed back as the server prints them ({@link RowHashes.Numbered}).
     */
    boolean numberKey() {
        return numberKey;
    }

    /** The key and the values Java compares (FLOAT, DOUBLE, JSON) of every row of the chunk. */
    String javaValues(KeyRange range) {
        return "SELECT " + keyList() + ", " + valueList(inJava) + " FROM " + from + where(range);
    }

    /** The key of the row {@code offset} rows after {@code lower}: the upper bound of the next chunk. */
    String boundary(KeyRange fromLower, int offset) {
        return "SELECT " + keyList() + " FROM " + from + where(fromLower) + " ORDER BY "
                + keys.stream().map(k -> column(TableToVerify.ALIAS, k.name())).collect(Collectors.joining(", "))
                + " LIMIT 1 OFFSET " + offset;
    }

    /**
     * Every column's typed value of the rows with the given keys: {@code k IN (?, ...)} for a one-column key (one
     * range list for the optimizer, short to parse), else an OR of each key's columns.
     */
    String rowsByKeys(int count) {
        String anyKey;
        if (keys.size() == 1) {
            anyKey = column(TableToVerify.ALIAS, keys.get(0).name()) + " IN ("
                    + String.join(", ", java.util.Collections.nCopies(count, "?")) + ")";
        } else {
            String one = "(" + keys.stream().map(k -> column(TableToVerify.ALIAS, k.name()) + " = ?")
                    .collect(Collectors.joining(" AND ")) + ")";
            anyKey = String.join(" OR ", java.util.Collections.nCopies(count, one));
        }
        return "SELECT " + keyList() + ", " + valueList(all) + " FROM " + from + " WHERE "
                + predicate.map(p -> "(" + p + ") AND ").orElse("") + "(" + anyKey + ")";
    }

    private String keyList() {
        return keys.stream().map(k -> k.valueExpression(side(k), TableToVerify.ALIAS)).collect(Collectors.joining(", "));
    }

    private String valueList(List<CanonicalColumn> columns) {
        return columns.stream().map(c -> c.valueExpression(side(c), TableToVerify.ALIAS)).collect(Collectors.joining(", "));
    }

    private String where(KeyRange range) {
        List<String> conditions = new ArrayList<>();
        predicate.ifPresent(p -> conditions.add("(" + p + ")"));
        range.lower().ifPresent(k -> conditions.add(bound(0, ">")));
        range.upper().ifPresent(k -> conditions.add(bound(0, "<=")));
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** {@code k1 > ? OR (k1 = ? AND (k2 > ?))}: the key after (or up to) a bound, column by column. */
    private String bound(int i, String last) {
        String c = column(TableToVerify.ALIAS, keys.get(i).name());
        String strict = last.startsWith(">") ? ">" : "<";
        if (i == keys.size() - 1) {
            return c + " " + last + " ?";
        }
        return "(" + c + " " + strict + " ? OR (" + c + " = ? AND " + bound(i + 1, last) + "))";
    }

    /** Binds the tenant id and the range's bounds in the order {@link #where} wrote them; returns the next index. */
    int bind(PreparedStatement ps, KeyRange range) throws SQLException {
        int i = 1;
        if (predicate.isPresent()) {
            ps.setString(i++, tenantId.orElseThrow());
        }
        if (range.lower().isPresent()) {
            i = bindBound(ps, i, range.lower().get());
        }
        if (range.upper().isPresent()) {
            i = bindBound(ps, i, range.upper().get());
        }
        return i;
    }

    private int bindBound(PreparedStatement ps, int i, RowKey key) throws SQLException {
        for (int k = 0; k < keys.size(); k++) {
            bindKeyValue(ps, i++, k, key);
            if (k < keys.size() - 1) {
                bindKeyValue(ps, i++, k, key);
            }
        }
        return i;
    }

    /** Binds the tenant id and keys for {@link #rowsByKeys}. */
    void bindKeys(PreparedStatement ps, List<RowKey> rowKeys) throws SQLException {
        int i = 1;
        if (predicate.isPresent()) {
            ps.setString(i++, tenantId.orElseThrow());
        }
        for (RowKey key : rowKeys) {
            for (int k = 0; k < keys.size(); k++) {
                bindKeyValue(ps, i++, k, key);
            }
        }
    }

    private void bindKeyValue(PreparedStatement ps, int index, int k, RowKey key) throws SQLException {
        String value = key.values().get(k);
        if (keys.get(k).kind().binary()) {
            ps.setBytes(index, HexFormat.of().parseHex(value.substring(2)));
        } else {
            ps.setString(index, value);
        }
    }

    /** Reads the key in the first columns of the current row. */
    RowKey readKey(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            if (keys.get(k).kind().binary()) {
                values.add("0x" + HexFormat.of().withUpperCase().formatHex(rs.getBytes(k + 1)));
            } else {
                values.add(rs.getString(k + 1));
            }
        }
        return new RowKey(values);
    }
}

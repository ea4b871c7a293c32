package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;
import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL that copies one table: the keyset-paged, share-locked chunk SELECT on the source and the multi-row
 * INSERT on the target. Every identifier is quoted; every value is a parameter.
 *
 * <p>Values are read as bytes with {@code character_set_results} binary and bound as bytes, so nothing is
 * decoded in Java: numbers and dates travel as the server's own text (zero dates included), text as its raw
 * bytes. When the bytes' real charset (the column's, or the {@code charset-overrides} entry for it) differs
 * from the target column's, the INSERT wraps the value in {@code CONVERT(? USING real)}, so that the target
 * server converts it (a latin1 column holding cp932 bytes becomes proper utf8mb4). Generated columns are
 * neither read nor written.
 */
final class TableStatements {
    static final String ALIAS = "r";
    private static final java.util.Set<String> BINARY_TYPES = java.util.Set.of("binary", "varbinary", "tinyblob", "blob",
            "mediumblob", "longblob");
    private static final java.util.Set<String> FLOATS = java.util.Set.of("float", "double", "real");
    private static final java.util.Set<String> TEMPORALS = java.util.Set.of("date", "datetime", "timestamp", "time",
            "year");
    private static final Pattern CHARSET_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final CopyTable table;
    private final String sourceSchema;
    private final String targetSchema;
    private final List<Column> columns;
    private final List<String> insertPlaceholders;
    private final int[] keyPositions;
    private final List<KeyKind> keyKinds;
    private final List<Column> sourceKeyColumns;
    private final List<Column> targetKeyColumns;
    private final List<String> keyBytesCharsets;
    /** Per column, the charset its source bytes are in when the target column holds them in that same one. */
    private final List<Optional<String>> sameCharsetText;

    /** {@code overrides} maps a source column name (lower case) to the charset its bytes really are in. */
    TableStatements(CopyTable table, String sourceSchema, String targetSchema, Map<String, String> overrides) {
        this.table = table;
        this.sourceSchema = sourceSchema;
        this.targetSchema = targetSchema;
        List<Column> cols = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        for (Column source : table.source().writableColumns()) {
            Optional<Column> target = table.target().column(source.name());
            if (target.isEmpty() || target.get().generated()) {
                if (target.isEmpty()) {
                    throw new UserException("column " + source.name() + " of table " + table.name()
                            + " is missing on the target", "add it to the target table or create the table again");
                }
                continue; // generated on the target: the server computes it
            }
            cols.add(source);
            placeholders.add(placeholder(source, target.get(), overrides.get(source.name().toLowerCase(java.util.Locale.ROOT))));
        }
        this.columns = List.copyOf(cols);
        this.insertPlaceholders = List.copyOf(placeholders);
        List<Optional<String>> same = new ArrayList<>();
        for (Column source : columns) {
            Column target = table.target().column(source.name()).orElseThrow();
            String override = overrides.get(source.name().toLowerCase(java.util.Locale.ROOT));
            Optional<String> real = Optional.ofNullable(override).or(source::charset).map(SessionPins::canonicalCharset);
            same.add(source.textual() && target.textual()
                    && real.equals(target.charset().map(SessionPins::canonicalCharset)) ? real : Optional.empty());
        }
        this.sameCharsetText = List.copyOf(same);
        List<String> key = table.rowKey().columns();
        this.keyPositions = new int[key.size()];
        List<KeyKind> kinds = new ArrayList<>();
        List<Column> sourceKeys = new ArrayList<>();
        List<Column> targetKeys = new ArrayList<>();
        List<String> keyCharsets = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            String name = key.get(i);
            int pos = indexOf(name);
            if (pos < 0) {
                throw new UserException("table " + table.name() + " is keyed by column " + name
                        + ", which is generated or missing on the target", "key the table by stored, copied columns");
            }
            keyPositions[i] = pos;
            Column sourceColumn = columns.get(pos);
            sourceKeys.add(sourceColumn);
            targetKeys.add(table.target().column(name).orElseThrow());
            kinds.add(KeyKind.of(table.name(), sourceColumn));
            keyCharsets.add(Optional.ofNullable(overrides.get(name.toLowerCase(java.util.Locale.ROOT)))
                    .or(sourceColumn::charset).orElse("binary"));
        }
        this.keyBytesCharsets = List.copyOf(keyCharsets);
        this.keyKinds = List.copyOf(kinds);
        this.sourceKeyColumns = List.copyOf(sourceKeys);
        this.targetKeyColumns = List.copyOf(targetKeys);
    }

    private static String placeholder(Column source, Column target, String override) {
        if (!source.textual() || !target.textual()) {
            return "?";
        }
        String real = override != null ? override : source.charset().orElseThrow();
        String targetCharset = target.charset().orElseThrow();
        if (real.equalsIgnoreCase(targetCharset) || real.equalsIgnoreCase("binary")) {
            return "?";
        }
        return "CONVERT(? USING " + charsetName(real) + ")";
    }

    /** Charset and collation names cannot be quoted in CONVERT ... USING, so they must be plain words. */
    static String charsetName(String name) {
        if (!CHARSET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a charset or collation name: " + name);
        }
        return name;
    }

    private int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    CopyTable table() {
        return table;
    }

    /** The columns read and written, in statement order. */
    List<Column> columns() {
        return columns;
    }

    int columnCount() {
        return columns.size();
    }

    /**
     * A key value's placeholder. Key bytes are as the source stores them: on the source they are compared in
     * the column's declared charset; on the target in the charset they really are in (an override may say a
     * latin1 column holds cp932), which the target column received them converted from.
     */
    private String keyPlaceholder(int i, boolean onTarget) {
        return onTarget ? keyKinds.get(i).placeholder(targetKeyColumns.get(i), keyBytesCharsets.get(i))
                : keyKinds.get(i).placeholder(sourceKeyColumns.get(i), sourceKeyColumns.get(i).charset().orElse("binary"));
    }

    List<KeyKind> keyKinds() {
        return keyKinds;
    }

    List<Column> sourceKeyColumns() {
        return sourceKeyColumns;
    }

    List<Column> targetKeyColumns() {
        return targetKeyColumns;
    }

    /** The key of a row read by {@link #chunkSelect}. */
    RowKey keyOf(byte[][] row) {
        List<byte[]> values = new ArrayList<>(keyPositions.length);
        for (int p : keyPositions) {
            values.add(row[p]);
        }
        return RowKey.ofBytes(values);
    }

    /** The tenant condition on the source, if the table is per tenant. */
    Optional<String> tenantPredicate() {
        return table.rows().tenantPredicate(sourceSchema, ALIAS);
    }

    /**
     * The chunk's columns. Text and binary strings are read as their raw bytes; every other type through
     * {@code CONCAT(col)}, which makes the server render it as text (zero dates, DECIMAL digits, BIT bytes
     * unchanged) in a string column the driver hands over as bytes without decoding it.
     */
    String selectList() {
        return columns.stream().map(TableStatements::selected).collect(Collectors.joining(", "));
    }

    /** The row at {@code rs}'s cursor, read by {@link #selectList}: each column's bytes (null for NULL). */
    byte[][] row(java.sql.ResultSet rs) throws java.sql.SQLException {
        byte[][] row = new byte[columns.size()][];
        for (int i = 0; i < row.length; i++) {
            row[i] = rs.getBytes(i + 1);
        }
        return row;
    }

    /** The key at {@code rs}'s cursor, read by {@link #keySelectList}. */
    RowKey key(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<byte[]> values = new ArrayList<>(keyPositions.length);
        for (int i = 0; i < keyPositions.length; i++) {
            values.add(rs.getBytes(i + 1));
        }
        return RowKey.ofBytes(values);
    }

    /** The key columns as {@link #selectList} reads them: their bytes make the same {@link RowKey}. */
    String keySelectList() {
        return sourceKeyColumns.stream().map(TableStatements::selected).collect(Collectors.joining(", "));
    }

    private static String selected(Column c) {
        return rawBytes(c) ? column(ALIAS, c.name())
                // A FLOAT prints 6 digits; times 1e0 prints its exact double (and keeps -0, unlike + 0e0).
                : FLOATS.contains(c.dataType()) ? "CONCAT(" + column(ALIAS, c.name()) + " * 1e0)"
                : "CONCAT(" + column(ALIAS, c.name()) + ")";
    }

    /**
     * True when a chunk finds its keys by a plain read with the tenant condition, then reads the rows of those
     * keys share-locked by key ({@link SourceRowsByKey}): for every per-tenant table of a transactional engine,
     * whose chunk would otherwise be read, and locked, through the tenant's secondary index.
     */
    boolean readsChunksByKey() {
        return table.source().transactional() && tenantPredicate().isPresent();
    }

    /** The source table read through its row key's index only: {@code `s`.`t` `r` FORCE INDEX (PRIMARY)}. */
    String sourceTableByKey() {
        dev.hikkoshi.data.schema.Index key = table.rowKey();
        return sourceTable() + " FORCE INDEX (" + (key.primary() ? "PRIMARY" : quote(key.name())) + ")";
    }

    /** A key of one number or date column: sent as an IN list, which is shorter to send and to parse. */
    boolean shortKey() {
        return keyKinds.size() == 1 && switch (keyKinds.get(0)) {
            case NUMBER, TEMPORAL -> true;
            case FLOATING, TEXT, BINARY -> false;
        };
    }

    /** A key of one integer or DECIMAL column: its values, the server's own text, may be written out in the SQL. */
    boolean numberKey() {
        return keyKinds.size() == 1 && keyKinds.get(0) == KeyKind.NUMBER;
    }

    /** {@link #anyKey} with the values written out ({@code `r`.`id` IN (1, 2, 3)}), for a {@link #numberKey}. */
    String keyIn(CharSequence numbers) {
        return column(ALIAS, table.rowKey().columns().get(0)) + " IN (" + numbers + ")";
    }

    /** Any of {@code keys} keys, bound in order by {@link #bindKey}: an IN list for a {@link #shortKey}, else ORs. */
    String anyKey(int keys) {
        return shortKey() ? column(ALIAS, table.rowKey().columns().get(0)) + " IN ("
                + String.join(", ", java.util.Collections.nCopies(keys, "?")) + ")"
                : String.join(" OR ", java.util.Collections.nCopies(keys, keyEquals(false)));
    }

    private static boolean rawBytes(Column c) {
        return c.textual() || BINARY_TYPES.contains(c.dataType());
    }

    String orderBy() {
        return table.rowKey().columns().stream().map(c -> column(ALIAS, c)).collect(Collectors.joining(", "));
    }

    String sourceTable() {
        return qualified(sourceSchema, table.source().name()) + " " + quote(ALIAS);
    }

    /** The first key column, aliased: integer ranges split on it. */
    String firstKeyColumn() {
        return column(ALIAS, table.rowKey().columns().get(0));
    }

    /**
     * {@code k1 >= ? AND (k1 > ? OR (k1 = ? AND k2 > ?) ...)}: rows after {@code key} in key order, expanded
     * rather than a row comparison because MySQL before 5.7 uses no index for {@code (a, b) > (?, ?)}.
     * Binding order: see {@link #bindAfter}.
     */
    String afterPredicate(boolean onTarget) {
        List<String> key = table.rowKey().columns();
        StringBuilder sql = new StringBuilder(column(ALIAS, key.get(0))).append(" >= ")
                .append(keyPlaceholder(0, onTarget)).append(" AND (");
        for (int i = 0; i < key.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append('(');
            for (int j = 0; j < i; j++) {
                sql.append(column(ALIAS, key.get(j))).append(" = ").append(keyPlaceholder(j, onTarget))
                        .append(" AND ");
            }
            sql.append(column(ALIAS, key.get(i))).append(" > ").append(keyPlaceholder(i, onTarget))
                    .append(')');
        }
        return sql.append(')').toString();
    }

    /** Binds {@code key} into an {@link #afterPredicate} starting at parameter {@code index}; returns the next index. */
    int bindAfter(java.sql.PreparedStatement ps, int index, RowKey key) throws java.sql.SQLException {
        keyKinds.get(0).bind(ps, index++, key.rawValue(0));
        for (int i = 0; i < key.size(); i++) {
            for (int j = 0; j <= i; j++) {
                keyKinds.get(j).bind(ps, index++, key.rawValue(j));
            }
        }
        return index;
    }

    /** {@code (k1 = ? AND k2 = ?)}: one row by key, for re-copying chosen rows. */
    String keyEquals(boolean onTarget) {
        List<String> key = table.rowKey().columns();
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < key.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(column(ALIAS, key.get(i))).append(" = ")
                    .append(keyPlaceholder(i, onTarget));
        }
        return sql.append(')').toString();
    }

    /** {@code (k = ?) OR (k = ?) ...} for {@code keys} rows of the target ({@link #bindKeys}). */
    String anyKeyOnTarget(int keys) {
        return String.join(" OR ", java.util.Collections.nCopies(keys, keyEquals(true)));
    }

    int bindKeys(java.sql.PreparedStatement ps, int index, List<RowKey> keys) throws java.sql.SQLException {
        for (RowKey key : keys) {
            index = bindKey(ps, index, key);
        }
        return index;
    }

    /** Whether two column lists name the same columns (case aside): an index over the row key's columns. */
    static boolean sameColumns(List<String> a, List<String> b) {
        return a.size() == b.size() && a.stream().allMatch(c -> b.stream().anyMatch(c::equalsIgnoreCase));
    }

    int bindKey(java.sql.PreparedStatement ps, int index, RowKey key) throws java.sql.SQLException {
        for (int i = 0; i < key.size(); i++) {
            keyKinds.get(i).bind(ps, index++, key.rawValue(i));
        }
        return index;
    }

    /** {@code INSERT INTO `s`.`t` (`a`, `b`) VALUES }: the statement's head. */
    String insertHead() {
        return "INSERT INTO " + qualified(targetSchema, table.target().name()) + " ("
                + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")) + ") VALUES ";
    }

    /**
     * The LOAD DATA that {@link LoadDataBatch} feeds: {@code LOAD DATA LOCAL INFILE 'hikkoshi-chunk' IGNORE INTO
     * TABLE `s`.`t` CHARACTER SET binary FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'
     * (`a`, @hk_1) SET `b` = CONVERT(@hk_1 USING latin1)}. The file name is only a label: the driver sends the
     * rows from memory. {@code CHARACTER SET binary} stores each field's bytes as a {@code _binary} literal of
     * the INSERT would be stored (no conversion, the column's own check of its charset), and reads the file byte
     * by byte, so a 0x5c inside a cp932 character cannot be taken for an escape. A column whose bytes are in
     * another charset than the target column's goes through a variable and the same {@code CONVERT} as the
     * INSERT's. {@code IGNORE} keeps a row the target already has, as the INSERT's {@code ON DUPLICATE KEY
     * UPDATE} does (a duplicate is a warning that {@link LoadDataBatch} tells apart from any other). The
     * separators are LOAD DATA's defaults, spelled out; the backslash escapes rely on the target session's SQL
     * mode, which {@link SessionPins} pins without {@code NO_BACKSLASH_ESCAPES}.
     */
    String loadDataSql() {
        StringBuilder fields = new StringBuilder();
        List<String> set = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String placeholder = insertPlaceholders.get(i);
            String name = quote(columns.get(i).name());
            fields.append(i == 0 ? "" : ", ");
            if (placeholder.equals("?")) {
                fields.append(name);
            } else {
                String variable = "@hk_" + i;
                fields.append(variable);
                set.add(name + " = " + placeholder.replace("?", variable));
            }
        }
        return "LOAD DATA LOCAL INFILE 'hikkoshi-chunk' IGNORE INTO TABLE " + qualified(targetSchema, table.target().name())
                + " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
                + fields + ")" + (set.isEmpty() ? "" : " SET " + String.join(", ", set));
    }

    /**
     * Per column, whether its values may be written as plain string literals {@code '...'} in a session that
     * reads literals in {@code literalCharset} rather than as binary strings {@code _binary'...'}: text whose
     * bytes the target column stores in that very charset (the server then converts nothing, and stores the
     * bytes read; utf8mb4 only, where every well-formed UTF-8 sequence is a character), and temporal values
     * (the server's ASCII text). An introducer costs the target a charset
     * lookup by name per value, about a twentieth of its CPU in a bulk copy. {@link InsertBatch} still sends
     * bytes that are not well-formed UTF-8 as parameters.
     */
    boolean[] plainLiterals(Optional<String> literalCharset) {
        boolean[] out = new boolean[columns.size()];
        if (literalCharset.isEmpty()) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            Column source = columns.get(i);
            Column target = table.target().column(source.name()).orElseThrow();
            boolean temporal = TEMPORALS.contains(source.dataType()) && TEMPORALS.contains(target.dataType());
            out[i] = insertPlaceholders.get(i).equals("?") && literalCharset.isPresent()
                    && (temporal || literalCharset.get().equals("utf8mb4") && sameCharsetText.get(i).equals(literalCharset));
        }
        return out;
    }

    /** Each column's value placeholder in statement order: {@code ?} or {@code CONVERT(? USING latin1)}. */
    List<String> insertPlaceholders() {
        return insertPlaceholders;
    }

    /** {@code (?, CONVERT(? USING latin1), ?)}: one row's values. */
    String insertTuple() {
        return "(" + String.join(", ", insertPlaceholders) + ")";
    }

    /**
     * {@code UPDATE `s`.`t` `r` SET `r`.`a` = ?, ... WHERE (key)}: the key sync's write of an existing row, with
     * the same value placeholders as {@link #insertTuple()} followed by the key's ({@link #bindKey}).
     */
    String updateByKey() {
        StringBuilder sql = new StringBuilder("UPDATE ").append(qualified(targetSchema, table.target().name()))
                .append(' ').append(quote(ALIAS)).append(" SET ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(column(ALIAS, columns.get(i).name())).append(" = ")
                    .append(insertPlaceholders.get(i));
        }
        return sql.append(" WHERE ").append(keyEquals(true)).toString();
    }

    String targetTable() {
        return qualified(targetSchema, table.target().name()) + " " + quote(ALIAS);
    }

    /**
     * The target table through the index of its row key's columns, {@code `s`.`t` `r` FORCE INDEX (PRIMARY)}, for
     * statements that name rows by key: a stream's DELETE of 200 keys of one tenant, left to the optimizer, walked
     * the tenant's index instead (a freshly loaded table's statistics said 929 rows; it had 200,000) and took
     * 0.7 s where the keys take milliseconds.
     */
    String targetTableByKey() {
        return table.target().indexes().stream()
                .filter(i -> (i.primary() || i.unique()) && sameColumns(i.columns(), table.rowKey().columns()))
                .findFirst()
                .map(i -> targetTable() + " FORCE INDEX (" + (i.primary() ? "PRIMARY" : quote(i.name())) + ")")
                .orElseGet(this::targetTable);
    }

    String targetSchema() {
        return targetSchema;
    }

    /**
     * Makes a duplicate key a no-op that leaves the target row as it is: see {@link ChunkCopier} for why not
     * INSERT IGNORE or REPLACE.
     */
    String keepExistingTail() {
        String first = quote(table.rowKey().columns().get(0));
        return " ON DUPLICATE KEY UPDATE " + first + " = " + first;
    }

    /**
     * {@code ON DUPLICATE KEY UPDATE `a` = VALUES(`a`), ...}: every written column but the row key's. MySQL 8.0.20
     * and later warn that {@code VALUES()} is deprecated (and {@link InsertBatch} refuses every warning), so
     * with {@code rowAlias} (MySQL from 8.0.19, {@link #takesRowAlias}) the rows are named instead:
     * {@code AS `hk_new` ON DUPLICATE KEY UPDATE `a` = `hk_new`.`a`}. MariaDB has only the first form.
     */
    String updateExistingTail(boolean rowAlias) {
        List<String> key = table.rowKey().columns();
        List<String> set = columns.stream().map(Column::name).filter(c -> key.stream().noneMatch(c::equalsIgnoreCase))
                .map(c -> quote(c) + " = " + (rowAlias ? quote("hk_new") + "." + quote(c) : "VALUES(" + quote(c) + ")"))
                .toList();
        if (set.isEmpty()) {
            return keepExistingTail();
        }
        return (rowAlias ? " AS " + quote("hk_new") : "") + " ON DUPLICATE KEY UPDATE " + String.join(", ", set);
    }

    /** Whether {@code server} takes a row alias after VALUES (MySQL 8.0.19 and later). */
    static boolean takesRowAlias(dev.hikkoshi.data.schema.ServerInfo server) {
        return server.flavour() == dev.hikkoshi.data.schema.ServerFlavour.MYSQL && server.atLeast(8, 0, 19);
    }

    int[] keyPositions() {
        return keyPositions.clone();
    }
}

package dev.hikkoshi.data.copy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a table into {@link KeyRange}s that workers copy in parallel: tables whose key starts with an integer
 * column are cut into equal spans between the tenant's smallest and largest value of that column; other keys
 * (strings, dates, DECIMAL) stay one range, copied chunk after chunk by keyset paging. The first and last
 * range are open-ended, so rows beyond the bounds seen at planning are never left out.
 */
final class RangePlanner {
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    /** Below this many rows per range, splitting costs more than it gains. */
    private static final long MIN_ROWS_PER_RANGE = 5_000;

    private RangePlanner() {
    }

    static List<KeyRange> plan(Connection source, TableStatements statements, Optional<String> tenantId,
                               long rowEstimate, int parallelism) throws SQLException {
        String table = statements.table().name();
        String firstType = statements.sourceKeyColumns().get(0).dataType();
        int wanted = (int) Math.min(parallelism, Math.max(1, rowEstimate / MIN_ROWS_PER_RANGE));
        if (wanted <= 1 || !INTEGERS.contains(firstType)) {
            return List.of(new KeyRange(table, 0, Optional.empty(), Optional.empty(), Optional.empty(), 0, false));
        }
        BigInteger min;
        BigInteger max;
        String where = statements.tenantPredicate().map(p -> " WHERE " + p).orElse("");
        try (PreparedStatement ps = source.prepareStatement("SELECT MIN(" + statements.firstKeyColumn() + "), MAX("
                + statements.firstKeyColumn() + ") FROM " + statements.sourceTable() + where)) {
            if (!where.isEmpty()) {
                ps.setString(1, tenantId.orElseThrow());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                BigDecimal lo = rs.getBigDecimal(1);
                BigDecimal hi = rs.getBigDecimal(2);
                if (lo == null || hi == null) {
                    return List.of(new KeyRange(table, 0, Optional.empty(), Optional.empty(), Optional.empty(), 0, false));
                }
                min = lo.toBigIntegerExact();
                max = hi.toBigIntegerExact();
            }
        }
        source.commit();
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        int n = (int) Math.min(wanted, span.min(BigInteger.valueOf(wanted)).longValue());
        List<KeyRange> out = new ArrayList<>();
        BigInteger previous = null;
        for (int i = 0; i < n; i++) {
            BigInteger high = i == n - 1 ? null : min.add(span.multiply(BigInteger.valueOf(i + 1)).divide(BigInteger.valueOf(n)));
            out.add(new KeyRange(table, i, Optional.ofNullable(previous), Optional.ofNullable(high), Optional.empty(), 0, false));
            previous = high;
        }
        return out;
    }
}

package dev.hikkoshi.cutover.safety;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses the first switch unless new rows written on either site can never take the same id: both servers
 * must interleave auto-increment values (the same {@code auto_increment_increment} of at least 2, different
 * {@code auto_increment_offset}s), and for every in-scope table with an auto-increment column, each site's next
 * value must lie above every id the other site holds in the residue class this site generates (ids written
 * before the interleaving have any residue; ids of the other class can never be generated here). Run by the controller before a wave's first switch and by {@code hikkoshi plan}'s preflight; a
 * refusal is a {@link UserException} whose hint prints the exact settings or statements to apply per site.
 *
 * <p>The settings are read as {@code @@GLOBAL} values from a new session on each server: a session keeps the
 * values it was opened with, so only the global values say what the application's new connections will use.
 * See <a href="https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#auto_increment_increment">
 * auto_increment_increment</a>: an offset greater than the increment is ignored, so each offset must be from 1
 * to the increment.
 */
public final class AutoIncrementCheck {
    private final Side from;
    private final Side to;

    /** How to open a new session to one site's database. */
    @FunctionalInterface
    public interface SessionSource {
        Connection open() throws SQLException;
    }

    /** One site's database: its name, its schema and where its sessions come from. */
    public record Side(SiteId site, String schema, SessionSource sessions) {
        public Side {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(sessions, "sessions");
        }

        /** A site's pool: each check borrows a connection and reads the global values through it. */
        public static Side of(SiteDatabase database) {
            return new Side(database.config().site(), database.schema(),
                    () -> database.dataSource().getConnection());
        }
    }

    /** One server's auto-increment settings. */
    public record Settings(long increment, long offset) {
        @Override
        public String toString() {
            return "auto_increment_increment=" + increment + " auto_increment_offset=" + offset;
        }
    }

    /** What the check found when it let the switch go on: the settings of both sites and the tables checked. */
    public record Interleaving(Settings from, Settings to, List<String> tablesChecked) {
        public Interleaving {
            tablesChecked = List.copyOf(tablesChecked);
        }
    }

    public AutoIncrementCheck(Side from, Side to) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    /**
     * Checks both servers' settings, then the next auto-increment values of {@code tables} (the in-scope tables;
     * those without an auto-increment column, or missing on a site, are skipped).
     *
     * @throws UserException when ids could collide, with the settings or statements to apply
     */
    public Interleaving check(Collection<String> tables) throws SQLException {
        Settings a = settings(from);
        Settings b = settings(to);
        if (!interleaved(a, b)) {
            throw new UserException("auto-increment ids of sites " + from.site() + " and " + to.site()
                    + " can collide: " + from.site() + " has " + a + ", " + to.site() + " has " + b, hint(a, b));
        }
        // Each side's largest id in the residue class the OTHER side generates: only those can be generated again.
        Map<String, Counter> onFrom = counters(from, tables, b);
        Map<String, Counter> onTo = counters(to, tables, a);
        List<String> collisions = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Counter> e : onFrom.entrySet()) {
            Counter other = onTo.get(e.getKey());
            if (other == null) {
                continue;
            }
            checked.add(e.getKey());
            // Only the new site's next ids can meet rows that exist: the old site's rows in its residue class on the
            // new site are copies of rows it generated itself, which its counter (only growing) never gives again.
            collision(e.getKey(), other, to, e.getValue(), from, collisions, fixes);
        }
        if (!collisions.isEmpty()) {
            String more = collisions.size() == 1 ? "" : " (and " + (collisions.size() - 1) + " more)";
            throw new UserException("auto-increment ids can collide: " + collisions.get(0) + more,
                    String.join("; ", fixes) + ", then try again");
        }
        return new Interleaving(a, b, checked);
    }

    static boolean interleaved(Settings a, Settings b) {
        return a.increment() >= 2 && a.increment() == b.increment() && a.offset() != b.offset()
                && a.offset() >= 1 && a.offset() <= a.increment() && b.offset() >= 1 && b.offset() <= b.increment();
    }

    /**
     * The settings to apply: keep a valid increment and offset where a site has one, otherwise an increment of 2
     * (two sites) and offsets 1 and 2.
     */
    private String hint(Settings a, Settings b) {
        long n = Math.max(2, Math.max(a.increment(), b.increment()));
        long offsetA = a.offset() >= 1 && a.offset() <= n ? a.offset() : 1;
        long offsetB = b.offset() >= 1 && b.offset() <= n && b.offset() != offsetA ? b.offset() : offsetA == 1 ? 2 : 1;
        return "on " + from.site() + ": SET GLOBAL auto_increment_increment=" + n + ", auto_increment_offset=" + offsetA
                + "; on " + to.site() + ": SET GLOBAL auto_increment_increment=" + n + ", auto_increment_offset="
                + offsetB + " (and the same in each server's config file; on Aurora, in its DB cluster parameter "
                + "group), then reconnect the applications so that their sessions use them";
    }

    private static void collision(String table, Counter next, Side nextSide, Counter existing, Side existingSide,
                                  List<String> collisions, List<String> fixes) {
        if (next.next() > existing.max()) {
            return;
        }
        collisions.add("the next id of " + table + "." + next.column() + " on " + nextSide.site() + " is " + next.next()
                + ", not above the largest on " + existingSide.site() + ", " + existing.max());
        fixes.add("on " + nextSide.site() + ": ALTER TABLE " + SqlIdentifier.qualified(nextSide.schema(), table)
                + " AUTO_INCREMENT = " + (existing.max() + 1));
    }

    private static Settings settings(Side side) throws SQLException {
        try (Connection c = side.sessions().open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.auto_increment_increment, @@GLOBAL.auto_increment_offset")) {
            rs.next();
            return new Settings(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * A table's auto-increment column, the largest value it holds that the other site could generate too (its
     * ids are {@code offset + k * increment}: only rows in that residue class can collide; 0 when none), and
     * the next value this site would give.
     */
    private record Counter(String column, long max, long next) {
    }

    private static Map<String, Counter> counters(Side side, Collection<String> tables, Settings other)
            throws SQLException {
        Map<String, Counter> out = new LinkedHashMap<>();
        try (Connection c = side.sessions().open()) {
            for (String table : tables) {
                String column = null;
                long next = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT c.COLUMN_NAME, t.AUTO_INCREMENT"
                        + " FROM information_schema.COLUMNS c JOIN information_schema.TABLES t"
                        + " ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
                        + " WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.EXTRA LIKE '%auto_increment%'")) {
                    ps.setString(1, side.schema());
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            column = rs.getString(1);
                            next = rs.getLong(2);
                        }
                    }
                }
                if (column == null) {
                    continue;
                }
                long max;
                long all;
                String col = SqlIdentifier.quote(column);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + col
                        + "), 0), COALESCE(MAX(CASE WHEN MOD(" + col + ", " + other.increment() + ") = "
                        + (other.offset() % other.increment()) + " THEN " + col + " END), 0) FROM "
                        + SqlIdentifier.qualified(side.schema(), table))) {
                    rs.next();
                    all = rs.getLong(1);
                    max = rs.getLong(2);
                }
                // information_schema may lag (MySQL 8 caches it): never take a next value at or below the max
                out.put(table, new Counter(column, max, Math.max(next, all + 1)));
            }
        }
        return out;
    }
}

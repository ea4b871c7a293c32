package dev.hikkoshi.data.differential;

import dev.hikkoshi.data.verify.VerifySide;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many pages a server's InnoDB has read from disk so far, at an instant: its buffer pool misses plus
 * read-ahead ({@code Innodb_buffer_pool_reads}, {@code Innodb_buffer_pool_read_ahead},
 * {@code Innodb_buffer_pool_read_ahead_rnd}; global status, readable without privileges since MySQL 5.0.2).
 * Read around each differential pass on the source ({@link PoolPressure}).
 */
record DiskPageReads(Instant at, long pages) {
    private static final Logger log = LoggerFactory.getLogger(DiskPageReads.class);

    /** The source's count now, or empty when the server does not report it (no InnoDB) or cannot be asked. */
    static Optional<DiskPageReads> read(VerifySide side) {
        try (Connection c = side.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_read%'")) {
            Instant at = Instant.now();
            long pages = 0;
            boolean found = false;
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (name.equals("innodb_buffer_pool_reads") || name.startsWith("innodb_buffer_pool_read_ahead")
                        && !name.endsWith("_evicted")) {
                    pages += Long.parseLong(rs.getString(2).trim());
                    found |= name.equals("innodb_buffer_pool_reads");
                }
            }
            return found ? Optional.of(new DiskPageReads(at, pages)) : Optional.empty();
        } catch (SQLException | NumberFormatException e) {
            // Only a warning's input: the pass goes on without it.
            log.debug("could not read the source's InnoDB page reads: {}", e.toString());
            return Optional.empty();
        }
    }
}

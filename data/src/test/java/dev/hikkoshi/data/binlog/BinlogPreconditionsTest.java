package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.ServerInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The privilege check by server version. The sandbox servers run with --skip-grant-tables (no privilege is
 * enforced there, so a real missing grant cannot be staged): this test feeds real SHOW GRANTS lines instead.
 */
class BinlogPreconditionsTest {
    private static final String SITE = "site legacy (10.0.1.20:3306/shop as migrator)";
    private static final String KEY = "sites.legacy.database.capture";

    private static ServerInfo server(String version) {
        return ServerInfo.of(version, Map.of());
    }

    @Test
    void mariadb105AndLater_needsItsRenamedPrivileges_andNamesTheMissingOnes() {
        UserException e = BinlogPreconditions.missingPrivileges("migrator@%",
                List.of("GRANT SELECT, REPLICATION SLAVE ON *.* TO `migrator`@`%` IDENTIFIED BY PASSWORD '*ABC'"),
                server("10.11.5-MariaDB"), SITE, KEY).orElseThrow();
        assertThat(e.getMessage()).isEqualTo("user 'migrator'@'%' on " + SITE
                + " lacks BINLOG MONITOR, REPLICATION MASTER ADMIN: binlog capture needs them");
        assertThat(e.hint()).isEqualTo("GRANT BINLOG MONITOR, REPLICATION MASTER ADMIN ON *.* TO 'migrator'@'%', or set "
                + KEY + " to triggers or differential");
    }

    @Test
    void mysqlAndOlderMariadb_needReplicationSlaveAndClient() {
        UserException e = BinlogPreconditions.missingPrivileges("migrator@10.0.%",
                List.of("GRANT REPLICATION CLIENT ON *.* TO 'migrator'@'10.0.%'", "GRANT ALL PRIVILEGES ON `shop`.* TO 'migrator'@'10.0.%'"),
                server("5.7.44-log"), SITE, KEY).orElseThrow();
        assertThat(e.getMessage()).isEqualTo("user 'migrator'@'10.0.%' on " + SITE
                + " lacks REPLICATION SLAVE: binlog capture needs it");
        assertThat(BinlogPreconditions.missingPrivileges("m@%", List.of("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'm'@'%'"),
                server("10.4.32-MariaDB"), SITE, KEY)).isEmpty();
    }

    @Test
    void allPrivilegesOnEverything_isEnough() {
        assertThat(BinlogPreconditions.missingPrivileges("root@localhost",
                List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"),
                server("10.11.5-MariaDB"), SITE, KEY)).isEmpty();
    }
}

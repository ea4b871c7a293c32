package dev.hikkoshi.cutover.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.cutover.safety.AutoIncrementCheck.Interleaving;
import dev.hikkoshi.cutover.safety.AutoIncrementCheck.Settings;
import dev.hikkoshi.cutover.safety.AutoIncrementCheck.Side;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The id-collision check against the sandbox's two real MariaDB servers; each test sets the servers' global
 * auto-increment settings and puts back what it found.
 */
@Timeout(120)
@ExtendWith(FreshSchemaExtension.class)
class AutoIncrementCheckIT {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final String TABLES = "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL)";

    private final List<Runnable> restore = new ArrayList<>();

    @AfterEach
    void restoreGlobals() {
        restore.forEach(Runnable::run);
    }

    private void globals(SandboxSchema schema, long increment, long offset) throws SQLException {
        if (restore.size() < 2) {
            Settings found = read(schema);
            restore.add(() -> schema.execute("SET GLOBAL auto_increment_increment=" + found.increment()
                    + ", auto_increment_offset=" + found.offset()));
        }
        schema.execute("SET GLOBAL auto_increment_increment=" + increment + ", auto_increment_offset=" + offset);
    }

    private static Settings read(SandboxSchema schema) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT @@GLOBAL.auto_increment_increment, @@GLOBAL.auto_increment_offset")) {
            rs.next();
            return new Settings(rs.getLong(1), rs.getLong(2));
        }
    }

    private static AutoIncrementCheck check(SchemaPair pair) {
        return new AutoIncrementCheck(new Side(LEGACY, pair.name(), pair.source()::connect),
                new Side(CLOUD, pair.name(), pair.target()::connect));
    }

    private static List<Long> insert(SandboxSchema schema, int rows) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < rows; i++) {
                s.executeUpdate("INSERT INTO orders (tenant_id) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong(1));
                }
            }
        }
        return ids;
    }

    @Test
    void check_notInterleaved_isRefusedWithTheSettingsForEachSite(SchemaPair pair) throws Exception {
        globals(pair.source(), 1, 1);
        globals(pair.target(), 1, 1);
        assertThatThrownBy(() -> check(pair).check(List.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("auto-increment ids of sites legacy and cloud can collide: legacy has "
                        + "auto_increment_increment=1 auto_increment_offset=1, cloud has auto_increment_increment=1 "
                        + "auto_increment_offset=1")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("on legacy: SET GLOBAL auto_increment_increment=2, auto_increment_offset=1; on cloud: SET "
                        + "GLOBAL auto_increment_increment=2, auto_increment_offset=2 (and the same in each server's "
                        + "config file; on Aurora, in its DB cluster parameter group), then reconnect the applications "
                        + "so that their sessions use them");
    }

    @Test
    void check_sameOffsetOnBothSites_isRefusedKeepingWhatIsValid(SchemaPair pair) throws Exception {
        globals(pair.source(), 3, 2);
        globals(pair.target(), 3, 2);
        assertThatThrownBy(() -> check(pair).check(List.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("auto-increment ids of sites legacy and cloud can collide: legacy has "
                        + "auto_increment_increment=3 auto_increment_offset=2, cloud has auto_increment_increment=3 "
                        + "auto_increment_offset=2")
                .extracting(e -> ((UserException) e).hint()).asString()
                .startsWith("on legacy: SET GLOBAL auto_increment_increment=3, auto_increment_offset=2; on cloud: SET "
                        + "GLOBAL auto_increment_increment=3, auto_increment_offset=1 (");
    }

    @Test
    void check_interleaved_isAccepted_andNewSessionsOnBothSitesNeverCollide(SchemaPair pair) throws Exception {
        globals(pair.source(), 2, 1);
        globals(pair.target(), 2, 2);
        pair.source().execute(TABLES, "CREATE TABLE countries (code CHAR(2) PRIMARY KEY)");
        pair.target().execute(TABLES, "CREATE TABLE countries (code CHAR(2) PRIMARY KEY)");
        Interleaving ok = check(pair).check(List.of("orders", "countries", "not_there"));
        assertThat(ok).isEqualTo(new Interleaving(new Settings(2, 1), new Settings(2, 2), List.of("orders")));

        // what the check promises, seen from new sessions: odd ids on legacy, even ids on cloud
        List<Long> legacyIds = insert(pair.source(), 3);
        List<Long> cloudIds = insert(pair.target(), 3);
        assertThat(legacyIds).allMatch(id -> id % 2 == 1);
        assertThat(cloudIds).allMatch(id -> id % 2 == 0);
        assertThat(legacyIds).doesNotContainAnyElementsOf(cloudIds);
        assertThat(check(pair).check(List.of("orders")).tablesChecked()).containsExactly("orders");
    }

    @Test
    void check_aCounterBelowTheOtherSitesIds_isRefusedWithTheStatementThatFixesIt(SchemaPair pair) throws Exception {
        globals(pair.source(), 2, 1);
        globals(pair.target(), 2, 2);
        // legacy held ids up to 120 before the interleaving; cloud's table was created empty
        pair.source().execute(TABLES, "INSERT INTO orders (id, tenant_id) VALUES (7, 1), (120, 2)");
        pair.target().execute(TABLES, "INSERT INTO orders (id, tenant_id) VALUES (7, 1)");
        UserException refused = org.junit.jupiter.api.Assertions.assertThrows(UserException.class,
                () -> check(pair).check(List.of("orders")));
        assertThat(refused.getMessage()).isEqualTo("auto-increment ids can collide: the next id of orders.id on cloud "
                + "is 8, not above the largest on legacy, 120");
        assertThat(refused.hint()).isEqualTo("on cloud: ALTER TABLE `" + pair.name() + "`.`orders` AUTO_INCREMENT = 121, "
                + "then try again");

        // applying the hint is enough
        pair.target().execute("ALTER TABLE `" + pair.name() + "`.`orders` AUTO_INCREMENT = 121");
        assertThat(check(pair).check(List.of("orders")).tablesChecked()).containsExactly("orders");
        assertThat(insert(pair.target(), 1)).allMatch(id -> id > 120 && id % 2 == 0);
    }
}

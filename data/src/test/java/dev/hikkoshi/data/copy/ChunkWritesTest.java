package dev.hikkoshi.data.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.copy.ChunkWrites.Form;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.ServerFlavour;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.Table;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ChunkWrites}' choice of write per table, for each setting, target and kind of copy. */
class ChunkWritesTest {
    private static final CopyTable PLAIN = table("plain", "InnoDB", false);
    private static final CopyTable COUNTED = table("counted", "InnoDB", true);
    private static final CopyTable MYISAM = table("legacy", "MyISAM", false);
    private static final boolean EVERY_ROW = true;
    private static final boolean TENANT = false;

    private static CopyTable table(String name, String engine, boolean autoIncrement) {
        List<Column> columns = List.of(new Column("id", 1, "int", "int(11)", false, Optional.empty(), Optional.empty(),
                Optional.empty(), autoIncrement));
        Index primary = new Index("PRIMARY", true, true, List.of("id"), true);
        Table t = new Table(name, engine, Optional.of("utf8mb4"), Optional.of("utf8mb4_general_ci"), columns,
                List.of(primary), List.of(), List.of(), 0);
        return new CopyTable(t, t, primary, TenantRows.ALL);
    }

    private static ServerInfo target(boolean localInfile, int autoIncLockMode) {
        return new ServerInfo("11.4.5-MariaDB", ServerFlavour.MARIADB, 11, 4, 5, true, Optional.of("ROW"),
                Optional.of("FULL"), 102, 64 << 20, 0, "utf8mb4", "utf8mb4_general_ci", "", 1, 1, localInfile,
                autoIncLockMode);
    }

    private static List<Form> forms(ChunkWrites writes) {
        return List.of(writes.form(PLAIN), writes.form(COUNTED), writes.form(MYISAM));
    }

    private static ChunkWrites decide(CopyWrite asked, int lockMode, boolean everyRow) {
        return ChunkWrites.decide(asked, target(true, lockMode), "target", everyRow);
    }

    @Test
    void auto_insertsATenantsRowsOfAnAutoIncrementTable_onlyUnderConsecutiveLocks_andNeverLoadsMyIsam() {
        assertThat(forms(decide(CopyWrite.AUTO, 1, TENANT))).containsExactly(Form.LOAD, Form.INSERT, Form.INSERT);
        assertThat(forms(decide(CopyWrite.AUTO, 1, EVERY_ROW)))
                .containsExactly(Form.LOAD, Form.LOAD_STATEMENTS, Form.INSERT);
        assertThat(forms(decide(CopyWrite.AUTO, 0, TENANT)))
                .containsExactly(Form.LOAD, Form.LOAD_STATEMENTS, Form.INSERT);
        assertThat(forms(decide(CopyWrite.AUTO, 2, TENANT))).containsExactly(Form.LOAD, Form.LOAD, Form.INSERT);
    }

    @Test
    void loadData_loadsEveryTable_inShortStatementsWhereTheAutoIncLockIsHeld() {
        assertThat(forms(decide(CopyWrite.LOAD_DATA, 1, TENANT)))
                .containsExactly(Form.LOAD, Form.LOAD_STATEMENTS, Form.LOAD);
        assertThat(forms(decide(CopyWrite.LOAD_DATA, 2, TENANT))).containsExactly(Form.LOAD, Form.LOAD, Form.LOAD);
    }

    @Test
    void insert_neverLoads() {
        assertThat(forms(decide(CopyWrite.INSERT, 2, EVERY_ROW))).containsOnly(Form.INSERT);
    }

    @Test
    void localInfileOff_insertsUnderAuto_andFailsLoadDataWithTheFix() {
        assertThat(forms(ChunkWrites.decide(CopyWrite.AUTO, target(false, 2), "target", EVERY_ROW)))
                .containsOnly(Form.INSERT);
        assertThatThrownBy(() -> ChunkWrites.decide(CopyWrite.LOAD_DATA, target(false, 2), "target", EVERY_ROW))
                .isInstanceOf(UserException.class).hasMessageContaining("its local_infile is OFF");
    }

    @Test
    void aRefusal_turnsAutoToInsertsForTheRestOfTheCopy_butOtherFailuresDoNot() {
        ChunkWrites writes = decide(CopyWrite.AUTO, 2, EVERY_ROW);
        assertThat(writes.refused(new SQLException("Lock wait timeout exceeded", "HY000", 1205))).isFalse();
        assertThat(writes.form(PLAIN)).isEqualTo(Form.LOAD);
        assertThat(writes.refused(new SQLException("local infile disabled", "HY000", 4166))).isTrue();
        assertThat(forms(writes)).containsOnly(Form.INSERT);
        assertThat(writes.describe(List.of(PLAIN))).isEqualTo("INSERT: plain");
    }

    @Test
    void describe_groupsTheTablesByForm_withWhy() {
        assertThat(decide(CopyWrite.AUTO, 1, TENANT).describe(List.of(PLAIN, COUNTED, MYISAM)))
                .isEqualTo("LOAD DATA LOCAL: plain; INSERT: counted (AUTO_INCREMENT under innodb_autoinc_lock_mode 1,"
                        + " in a tenant's copy), legacy (MyISAM)");
        assertThat(decide(CopyWrite.AUTO, 1, EVERY_ROW).describe(List.of(PLAIN, COUNTED)))
                .isEqualTo("LOAD DATA LOCAL: plain; LOAD DATA LOCAL in statements of about 2 MB: counted"
                        + " (AUTO_INCREMENT under innodb_autoinc_lock_mode 1)");
    }
}

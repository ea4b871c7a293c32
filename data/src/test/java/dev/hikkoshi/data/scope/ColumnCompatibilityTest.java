package dev.hikkoshi.data.scope;

import static dev.hikkoshi.data.scope.ScopeResolverTest.col;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColumnCompatibilityTest {
    private static boolean holds(String source, String target) {
        return ColumnCompatibility.typeHolds(col("c", source), col("c", target));
    }

    @Test
    void typeHolds_widerTypesOfTheSameFamily_holdAndNarrowerOnesDoNot() {
        assertThat(holds("int(11)", "int")).isTrue();
        assertThat(holds("int(11)", "bigint(20)")).isTrue();
        assertThat(holds("bigint(20)", "int(11)")).isFalse();
        assertThat(holds("int(10) unsigned", "int(11)")).isFalse();
        assertThat(holds("int(10) unsigned", "bigint(20)")).isTrue();
        assertThat(holds("int(11)", "int(10) unsigned")).isFalse();
        assertThat(holds("varchar(50)", "varchar(100)")).isTrue();
        assertThat(holds("varchar(100)", "varchar(50)")).isFalse();
        assertThat(holds("varchar(100)", "char(100)")).isFalse();
        assertThat(holds("char(10)", "varchar(10)")).isTrue();
        assertThat(holds("varchar(1000)", "text")).isTrue();
        assertThat(holds("varchar(1000)", "tinytext")).isFalse();
        assertThat(holds("text", "mediumtext")).isTrue();
        assertThat(holds("mediumtext", "text")).isFalse();
        assertThat(holds("mediumblob", "longblob")).isTrue();
        assertThat(holds("blob", "tinyblob")).isFalse();
        assertThat(holds("varbinary(16)", "varbinary(32)")).isTrue();
        assertThat(holds("binary(16)", "binary(32)")).as("BINARY pads with zero bytes: a longer one changes values").isFalse();
        assertThat(holds("decimal(10,2)", "decimal(12,2)")).isTrue();
        assertThat(holds("decimal(10,2)", "decimal(10,4)")).isFalse();
        assertThat(holds("decimal(10,2)", "decimal(12,4)")).isTrue();
        assertThat(holds("float", "double")).isTrue();
        assertThat(holds("double", "float")).isFalse();
        assertThat(holds("datetime", "datetime(6)")).isTrue();
        assertThat(holds("datetime(6)", "datetime")).isFalse();
        assertThat(holds("enum('a','b')", "enum('a','b','c')")).isTrue();
        assertThat(holds("enum('a','b','c')", "enum('a','b')")).isFalse();
        assertThat(holds("date", "datetime")).isFalse();
    }

    @Test
    void charsetHolds_utf8mb4HoldsEverythingAndUtf8OnlyTheBmp() {
        assertThat(ColumnCompatibility.charsetHolds("latin1", "utf8mb4")).isTrue();
        assertThat(ColumnCompatibility.charsetHolds("cp932", "utf8mb3")).isTrue();
        assertThat(ColumnCompatibility.charsetHolds("utf8mb4", "utf8")).isFalse();
        assertThat(ColumnCompatibility.charsetHolds("utf8mb4", "latin1")).isFalse();
        assertThat(ColumnCompatibility.charsetHolds("cp932", "latin1")).isFalse();
        assertThat(ColumnCompatibility.charsetHolds("latin1", "latin1")).isTrue();
    }
}

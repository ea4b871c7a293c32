package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.schema.Column;

/**
 * How verification treats a column's values: which canonical expression the servers hash it with, or
 * whether it is left out of the server's hash and compared in Java ({@link #comparedInJava()}). Chosen
 * from the column's declared type by {@link CanonicalColumn}.
 */
public enum ColumnKind {
    INTEGER, DECIMAL, TEXT, LONG_TEXT, BINARY, BLOB, BIT, DATE, DATETIME, TIME, YEAR,
    /** FLOAT, DOUBLE, REAL: servers print them differently (and 5.0 lossily), so Java compares the IEEE values. */
    FLOATING,
    /** MySQL's binary JSON: its text form is not stable across versions, so Java compares parsed documents. */
    JSON,
    /** Spatial and any type not listed: compared as raw bytes. */
    OTHER;

    /** The kind of a column of the inspected schema. */
    public static ColumnKind of(Column column) {
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean" -> INTEGER;
            case "decimal", "numeric", "fixed", "dec" -> DECIMAL;
            case "float", "double", "real", "double precision" -> FLOATING;
            case "char", "varchar", "enum", "set", "nchar", "nvarchar" -> TEXT;
            case "tinytext", "text", "mediumtext", "longtext" -> LONG_TEXT;
            case "binary", "varbinary" -> BINARY;
            case "tinyblob", "blob", "mediumblob", "longblob" -> BLOB;
            case "bit" -> BIT;
            case "date" -> DATE;
            case "datetime", "timestamp" -> DATETIME;
            case "time" -> TIME;
            case "year" -> YEAR;
            case "json" -> JSON;
            default -> OTHER;
        };
    }

    /** True when the servers do not hash this kind and Java compares the values read from both sides. */
    public boolean comparedInJava() {
        return this == FLOATING || this == JSON;
    }

    /** True when Java reads this kind's values as bytes. */
    public boolean binary() {
        return this == BINARY || this == BLOB || this == OTHER;
    }
}

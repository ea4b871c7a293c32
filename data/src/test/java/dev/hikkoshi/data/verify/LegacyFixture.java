package dev.hikkoshi.data.verify;

import dev.hikkoshi.sandbox.db.SandboxSchema;

/**
 * A table holding every legacy-data case of issue 3 point 5: NULL versus empty, zero dates, DATETIME(6) and
 * TIMESTAMP written in different time zones, DECIMAL extremes, FLOAT/DOUBLE (-0.0, largest, smallest), BIT,
 * binary types (empty, and 70,000 bytes in a MEDIUMBLOB), JSON, ENUM/SET, Japanese and emoji text, a long
 * TEXT and generated columns. Rows 1 to 4 belong to tenant 7 and row 5 to tenant 8, so that tenant
 * verification has another tenant's row to leave alone.
 */
final class LegacyFixture {
    static final String TABLE = "fidelity";

    static final String CREATE = "CREATE TABLE fidelity (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
            + " s VARCHAR(50) NULL, d DATE NULL, dt DATETIME NULL, dt6 DATETIME(6) NULL, ts TIMESTAMP(6) NULL DEFAULT NULL,"
            + " dec1 DECIMAL(65,30) NULL, dec2 DECIMAL(10,0) NULL, f FLOAT NULL, g DOUBLE NULL, b BIT(10) NULL,"
            + " bin BINARY(4) NULL, vb VARBINARY(20) NULL, bl BLOB NULL, mb MEDIUMBLOB NULL, j JSON NULL,"
            + " e ENUM('a','b','c') NULL, st SET('x','y','z') NULL, u VARCHAR(50) CHARACTER SET utf8mb4 NULL, lt LONGTEXT NULL,"
            + " gen VARCHAR(80) AS (CONCAT(id, '-', COALESCE(s, 'null'))) VIRTUAL, gst BIGINT AS (id * 2) STORED,"
            + " KEY idx_tenant (tenant_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    /** 70,000 bytes: 35,000 times 00 FF. */
    static final String BIG_BLOB = "REPEAT(X'00FF', 35000)";
    /** About 310 KB of Japanese text and emoji. */
    static final String LONG_TEXT = "REPEAT('日本語テキスト🍣', 10000)";
    static final String DEC_MAX = "99999999999999999999999999999999999.999999999999999999999999999999";

    /**
     * The rows, written under {@code timeZone}; {@code ts4} and {@code ts5} are the TIMESTAMP literals meaning
     * 2024-01-01 00:00:00.123456 UTC and 1970-01-01 00:00:01 UTC in that zone.
     */
    static void load(SandboxSchema schema, String timeZone, String ts4, String ts5) {
        schema.execute("SET sql_mode = ''", "SET time_zone = '" + timeZone + "'", CREATE,
                "INSERT INTO fidelity (id, tenant_id) VALUES (1, 7)",
                "INSERT INTO fidelity (id, tenant_id, s, vb, bl, mb, j, e, st, u, lt) VALUES"
                        + " (2, 7, '', '', '', '', '{}', '', '', '', '')",
                "INSERT INTO fidelity (id, tenant_id, s, d, dt, dt6, dec1, dec2, f, g, b, bin, vb, bl, mb, j, e, st, u, lt)"
                        + " VALUES (3, 7, 'plain ascii', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000',"
                        + " " + DEC_MAX + ", -9999999999, -0e0, -0e0, b'1111111111', X'DEADBEEF', X'00', X'00FF',"
                        + " " + BIG_BLOB + ", '{\"a\": [1, 2.5, \"日本\"], \"b\": null}', 'c', 'x,z', '日本語 🍣 emoji', " + LONG_TEXT + ")",
                "INSERT INTO fidelity (id, tenant_id, d, dt, dt6, ts, dec1, dec2, f, g, b)"
                        + " VALUES (4, 7, '2024-02-29', '9999-12-31 23:59:59', '2024-02-29 23:59:59.999999', '" + ts4 + "',"
                        + " -" + DEC_MAX + ", 9999999999, 3.4028234e38, 1.7976931348623157e308, b'0000000001')",
                "INSERT INTO fidelity (id, tenant_id, dt6, ts, dec1, f, g, s)"
                        + " VALUES (5, 8, '1000-01-01 00:00:00.000001', '" + ts5 + "', 0.000000000000000000000000000001,"
                        + " 1.17549435e-38, 4.9e-324, 'other tenant')");
    }

    /** The values as the server prints them in canonical text, under time_zone +00:00; read independently of hikkoshi. */
    static final String CANONICAL_SELECT = "SELECT id, ISNULL(s), HEX(s), DATE_FORMAT(d, '%Y-%m-%d'),"
            + " DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(dt6, '%Y-%m-%d %H:%i:%s.%f'),"
            + " DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f'), dec1, dec2, f * 1e0, g, HEX(b + 0), HEX(bin), HEX(vb), HEX(bl),"
            + " LENGTH(mb), MD5(mb) = MD5(" + BIG_BLOB + "), ISNULL(mb), JSON_EXTRACT(j, '$.a[2]'), e, st, HEX(u),"
            + " CHAR_LENGTH(lt), lt = " + LONG_TEXT + ", gen, gst FROM fidelity ORDER BY id";

    static final String[] EXPECTED = {
            "1|1|null|null|null|null|null|null|null|null|null|null|null|null|null|null|null|1|null|null|null|null|null|null|1-null|2",
            "2|0||null|null|null|null|null|null|null|null|null|null|||0|0|0|null||||0|0|2-|4",
            "3|0|706C61696E206173636969|0000-00-00|0000-00-00 00:00:00|0000-00-00 00:00:00.000000|null|" + DEC_MAX
                    + "|-9999999999|-0|-0|3FF|DEADBEEF|00|00FF|70000|1|0|\"日本\"|c|x,z|"
                    + "E697A5E69CACE8AA9E20F09F8DA320656D6F6A69|80000|1|3-plain ascii|6",
            "4|1|null|2024-02-29|9999-12-31 23:59:59|2024-02-29 23:59:59.999999|2024-01-01 00:00:00.123456|-" + DEC_MAX
                    + "|9999999999|3.4028234663852886e38|1.7976931348623157e308|1|null|null|null|null|null|1|null|null|null|null"
                    + "|null|null|4-null|8",
            "5|0|6F746865722074656E616E74|null|null|1000-01-01 00:00:00.000001|1970-01-01 00:00:01.000000"
                    + "|0.000000000000000000000000000001|null|1.1754943508222875e-38|5e-324|null|null|null|null|null|null|1|null"
                    + "|null|null|null|null|null|5-other tenant|10",
    };
}

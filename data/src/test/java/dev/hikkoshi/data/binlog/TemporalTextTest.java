package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The text of each binlog temporal cell, from bytes laid out as the binlog stores them; BinlogTailerIT checks the
 * same against a real server's events, this test the edges (zero parts, every fsp, sign, out-of-range fields).
 */
class TemporalTextTest {
    @Test
    void date_zeroAndLeapDay() throws IOException {
        assertThat(TemporalText.date(in(littleEndian(0, 3)))).isEqualTo("0000-00-00");
        assertThat(TemporalText.date(in(littleEndian(2024L << 9 | 2 << 5 | 29, 3)))).isEqualTo("2024-02-29");
        assertThat(TemporalText.date(in(littleEndian(7L << 9 | 1, 3)))).isEqualTo("0007-00-01");
    }

    @Test
    void datetimeV1_decimalDigits() throws IOException {
        assertThat(TemporalText.datetimeV1(in(littleEndian(0, 8)))).isEqualTo("0000-00-00 00:00:00");
        assertThat(TemporalText.datetimeV1(in(littleEndian(20240229235959L, 8)))).isEqualTo("2024-02-29 23:59:59");
    }

    @Test
    void datetimeV2_everyFractionWidth() throws IOException {
        assertThat(TemporalText.datetimeV2(0, in(datetimeV2(0, 0, 0, 0, 0, 0)))).isEqualTo("0000-00-00 00:00:00");
        assertThat(TemporalText.datetimeV2(6, in(datetimeV2(2024, 0, 15, 10, 11, 12), bigEndian(1, 3))))
                .isEqualTo("2024-00-15 10:11:12.000001");
        assertThat(TemporalText.datetimeV2(6, in(datetimeV2(9999, 12, 31, 23, 59, 59), bigEndian(999_999, 3))))
                .isEqualTo("9999-12-31 23:59:59.999999");
        assertThat(TemporalText.datetimeV2(5, in(datetimeV2(2024, 1, 2, 3, 4, 5), bigEndian(12_345_0, 3))))
                .isEqualTo("2024-01-02 03:04:05.12345");
        assertThat(TemporalText.datetimeV2(3, in(datetimeV2(2024, 1, 2, 3, 4, 5), bigEndian(1230, 2))))
                .isEqualTo("2024-01-02 03:04:05.123");
        assertThat(TemporalText.datetimeV2(1, in(datetimeV2(2024, 1, 2, 3, 4, 5), bigEndian(50, 1))))
                .isEqualTo("2024-01-02 03:04:05.5");
    }

    @Test
    void datetimeV2_randomFields_matchTheServersLayout() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            int year = random.nextInt(10_000);
            int month = random.nextInt(13);
            int day = random.nextInt(32);
            int hour = random.nextInt(24);
            int minute = random.nextInt(60);
            int second = random.nextInt(60);
            int fsp = random.nextInt(7);
            int micros = random.nextInt(1_000_000);
            int fractionBytes = (fsp + 1) / 2;
            long units = switch (fractionBytes) {
                case 1 -> micros / 10_000;
                case 2 -> micros / 100;
                default -> micros;
            };
            String expected = String.format("%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second)
                    + (fsp == 0 ? "" : "." + String.format("%06d", switch (fractionBytes) {
                        case 1 -> units * 10_000;
                        case 2 -> units * 100;
                        default -> units;
                    }).substring(0, fsp));
            assertThat(TemporalText.datetimeV2(fsp, in(datetimeV2(year, month, day, hour, minute, second),
                    bigEndian(units, fractionBytes)))).isEqualTo(expected);
        }
    }

    @Test
    void datetimeV2_aYearBeyondFourDigits_keepsAllItsDigits() throws IOException {
        assertThat(TemporalText.datetimeV2(0, in(datetimeV2(10_082, 0, 1, 0, 0, 0)))).isEqualTo("10082-00-01 00:00:00");
    }

    @Test
    void timestamps_inUtc_withTheZeroTimestampKept() throws IOException {
        assertThat(TemporalText.timestampV1(in(littleEndian(0, 4)))).isEqualTo("0000-00-00 00:00:00");
        assertThat(TemporalText.timestampV1(in(littleEndian(1_704_067_200L, 4)))).isEqualTo("2024-01-01 00:00:00");
        assertThat(TemporalText.timestampV2(6, in(bigEndian(1_704_067_200L, 4), bigEndian(123_456, 3))))
                .isEqualTo("2024-01-01 00:00:00.123456");
        assertThat(TemporalText.timestampV2(2, in(bigEndian(0, 4), bigEndian(0, 1)))).isEqualTo("0000-00-00 00:00:00.00");
        assertThat(TemporalText.timestampV2(0, in(bigEndian(2_147_483_647L, 4)))).isEqualTo("2038-01-19 03:14:07");
    }

    @Test
    void times_signedWithThreeDigitHours() throws IOException {
        assertThat(TemporalText.timeV1(in(littleEndian(-8_385_959 & 0xFFFFFF, 3)))).isEqualTo("-838:59:59");
        assertThat(TemporalText.timeV1(in(littleEndian(10_203, 3)))).isEqualTo("01:02:03");
        assertThat(TemporalText.timeV2(0, in(timeV2(0, false, 838, 59, 59, 0)))).isEqualTo("838:59:59");
        assertThat(TemporalText.timeV2(3, in(timeV2(2, true, 838, 59, 58, 5_000)))).isEqualTo("-838:59:58.500");
        assertThat(TemporalText.timeV2(6, in(timeV2(3, false, 0, 0, 0, 1)))).isEqualTo("00:00:00.000001");
        assertThat(TemporalText.timeV2(1, in(timeV2(1, true, 1, 2, 3, 50)))).isEqualTo("-01:02:03.5");
    }

    @Test
    void year_zeroIsTheZeroYear() throws IOException {
        assertThat(TemporalText.year(in(new byte[] {0}))).isZero();
        assertThat(TemporalText.year(in(new byte[] {124}))).isEqualTo(2024);
    }

    private static byte[] datetimeV2(long year, long month, long day, long hour, long minute, long second) {
        long v = 0x80_0000_0000L | (year * 13 + month) << 22 | day << 17 | hour << 12 | minute << 6 | second;
        return bigEndian(v, 5);
    }

    private static byte[] timeV2(int fractionBytes, boolean negative, long hour, long minute, long second, long units) {
        long packed = (hour << 12 | minute << 6 | second) << (8 * fractionBytes) | units;
        long stored = (negative ? -packed : packed) + (0x800000L << (8 * fractionBytes));
        return bigEndian(stored, 3 + fractionBytes);
    }

    private static byte[] bigEndian(long v, int length) {
        byte[] out = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>= 8;
        }
        return out;
    }

    private static byte[] littleEndian(long v, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) v;
            v >>= 8;
        }
        return out;
    }

    private static ByteArrayInputStream in(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return new ByteArrayInputStream(all.toByteArray());
    }
}

package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Decodes the binlog's temporal cells into the server's own canonical text ({@code 0000-00-00},
 * {@code 2024-02-29 23:59:59.999999}, {@code -838:59:59}). The library would turn zero dates and zero parts into
 * null or an epoch number; legacy data holds them, so they must survive, and text is the one form that holds
 * every value MySQL accepts. TIMESTAMPs are given in UTC (the binlog stores seconds since the epoch).
 * Formats: <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_replication_binlog_event.html">
 * MySQL's binlog row formats</a> ({@code my_time.cc}: {@code my_datetime_packed_from_binary}).
 */
final class TemporalText {
    private TemporalText() {
    }

    /** DATE: 3 bytes little-endian, day in bits 0-4, month in 5-8, year above. */
    static String date(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(3);
        return pad(v >> 9, 4) + "-" + pad((v >> 5) & 15, 2) + "-" + pad(v & 31, 2);
    }

    /** DATETIME before MySQL 5.6.4: 8 bytes little-endian holding YYYYMMDDhhmmss as a decimal number. */
    static String datetimeV1(ByteArrayInputStream in) throws IOException {
        long v = in.readLong(8);
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return pad(date / 10_000, 4) + "-" + pad(date / 100 % 100, 2) + "-" + pad(date % 100, 2) + " "
                + pad(time / 10_000, 2) + ":" + pad(time / 100 % 100, 2) + ":" + pad(time % 100, 2);
    }

    /** DATETIME(fsp) from MySQL 5.6.4 / MariaDB 10.1: 5 bytes big-endian, then the fraction. */
    static String datetimeV2(int fsp, ByteArrayInputStream in) throws IOException {
        long v = bigEndian(in.read(5));
        long yearMonth = (v >> 22) & 0x1FFFF;
        long day = (v >> 17) & 31;
        long hour = (v >> 12) & 31;
        long minute = (v >> 6) & 63;
        long second = v & 63;
        return pad(yearMonth / 13, 4) + "-" + pad(yearMonth % 13, 2) + "-" + pad(day, 2) + " " + pad(hour, 2) + ":"
                + pad(minute, 2) + ":" + pad(second, 2) + fraction(fsp, micros(fsp, in));
    }

    /** TIMESTAMP before 5.6.4: 4 bytes little-endian seconds since the epoch; 0 is the zero timestamp. */
    static String timestampV1(ByteArrayInputStream in) throws IOException {
        return timestampText(in.readLong(4), 0, 0);
    }

    /** TIMESTAMP(fsp): 4 bytes big-endian seconds, then the fraction. */
    static String timestampV2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        return timestampText(seconds, fsp, micros(fsp, in));
    }

    /** TIME before 5.6.4: 3 bytes little-endian, a signed HHMMSS decimal number. */
    static String timeV1(ByteArrayInputStream in) throws IOException {
        int v = (in.readInteger(3) << 8) >> 8;
        String sign = v < 0 ? "-" : "";
        int a = Math.abs(v);
        return sign + pad(a / 10_000, 2) + ":" + pad(a / 100 % 100, 2) + ":" + pad(a % 100, 2);
    }

    /**
     * TIME(fsp): the packed value (hour, minute and second bits, then the fraction in 1/100, 1/10,000 or
     * 1/1,000,000 seconds) stored big-endian as offset binary over 3 + (fsp+1)/2 bytes; negative times are the
     * two's complement of the whole packed value, so the offset is taken from all the bytes at once.
     */
    static String timeV2(int fsp, ByteArrayInputStream in) throws IOException {
        int fractionBytes = (fsp + 1) / 2;
        byte[] bytes = in.read(3 + fractionBytes);
        long stored = bigEndian(bytes);
        long value = stored - (0x800000L << (8 * fractionBytes));
        String sign = value < 0 ? "-" : "";
        long a = Math.abs(value);
        long packed = a >> (8 * fractionBytes);
        long fractionUnits = a & ((1L << (8 * fractionBytes)) - 1);
        long micros = switch (fractionBytes) {
            case 1 -> fractionUnits * 10_000;
            case 2 -> fractionUnits * 100;
            default -> fractionUnits;
        };
        return sign + pad((packed >> 12) & 0x3FF, 2) + ":" + pad((packed >> 6) & 63, 2) + ":" + pad(packed & 63, 2)
                + fraction(fsp, micros);
    }

    /** YEAR: one byte, years after 1900; 0 is the zero year {@code 0000}. */
    static int year(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(1);
        return v == 0 ? 0 : 1900 + v;
    }

    private static String timestampText(long seconds, int fsp, long micros) {
        if (seconds == 0 && micros == 0) {
            return "0000-00-00 00:00:00" + fraction(fsp, 0);
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        return pad(t.getYear(), 4) + "-" + pad(t.getMonthValue(), 2) + "-" + pad(t.getDayOfMonth(), 2) + " "
                + pad(t.getHour(), 2) + ":" + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2) + fraction(fsp, micros);
    }

    /** The fraction bytes of a V2 temporal cell, as microseconds. */
    private static long micros(int fsp, ByteArrayInputStream in) throws IOException {
        int length = (fsp + 1) / 2;
        if (length == 0) {
            return 0;
        }
        long units = bigEndian(in.read(length));
        return switch (length) {
            case 1 -> units * 10_000;
            case 2 -> units * 100;
            default -> units;
        };
    }

    /** {@code .123456} cut to the column's {@code fsp} digits, as the server prints it; empty for fsp 0. */
    private static String fraction(int fsp, long micros) {
        if (fsp <= 0) {
            return "";
        }
        return "." + pad(micros, 6).substring(0, Math.min(fsp, 6));
    }

    private static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    private static String pad(long value, int width) {
        String s = Long.toString(value);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}

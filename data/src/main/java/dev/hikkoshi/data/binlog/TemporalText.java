package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        return new Text().digits(v >> 9, 4).put('-').digits((v >> 5) & 15, 2).put('-').digits(v & 31, 2).done();
    }

    /** DATETIME before MySQL 5.6.4: 8 bytes little-endian holding YYYYMMDDhhmmss as a decimal number. */
    static String datetimeV1(ByteArrayInputStream in) throws IOException {
        long v = in.readLong(8);
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return new Text().digits(date / 10_000, 4).put('-').digits(date / 100 % 100, 2).put('-').digits(date % 100, 2)
                .put(' ').digits(time / 10_000, 2).put(':').digits(time / 100 % 100, 2).put(':').digits(time % 100, 2)
                .done();
    }

    /** DATETIME(fsp) from MySQL 5.6.4 / MariaDB 10.1: 5 bytes big-endian, then the fraction. */
    static String datetimeV2(int fsp, ByteArrayInputStream in) throws IOException {
        long v = bigEndian(in, 5);
        long yearMonth = (v >> 22) & 0x1FFFF;
        long day = (v >> 17) & 31;
        long hour = (v >> 12) & 31;
        long minute = (v >> 6) & 63;
        long second = v & 63;
        return new Text().digits(yearMonth / 13, 4).put('-').digits(yearMonth % 13, 2).put('-').digits(day, 2).put(' ')
                .digits(hour, 2).put(':').digits(minute, 2).put(':').digits(second, 2).fraction(fsp, micros(fsp, in)).done();
    }

    /** TIMESTAMP before 5.6.4: 4 bytes little-endian seconds since the epoch; 0 is the zero timestamp. */
    static String timestampV1(ByteArrayInputStream in) throws IOException {
        return timestampText(in.readLong(4), 0, 0);
    }

    /** TIMESTAMP(fsp): 4 bytes big-endian seconds, then the fraction. */
    static String timestampV2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in, 4);
        return timestampText(seconds, fsp, micros(fsp, in));
    }

    /** TIME before 5.6.4: 3 bytes little-endian, a signed HHMMSS decimal number. */
    static String timeV1(ByteArrayInputStream in) throws IOException {
        int v = (in.readInteger(3) << 8) >> 8;
        int a = Math.abs(v);
        Text text = new Text();
        if (v < 0) {
            text.put('-');
        }
        return text.digits(a / 10_000, 2).put(':').digits(a / 100 % 100, 2).put(':').digits(a % 100, 2).done();
    }

    /**
     * TIME(fsp): the packed value (hour, minute and second bits, then the fraction in 1/100, 1/10,000 or
     * 1/1,000,000 seconds) stored big-endian as offset binary over 3 + (fsp+1)/2 bytes; negative times are the
     * two's complement of the whole packed value, so the offset is taken from all the bytes at once.
     */
    static String timeV2(int fsp, ByteArrayInputStream in) throws IOException {
        int fractionBytes = (fsp + 1) / 2;
        long stored = bigEndian(in, 3 + fractionBytes);
        long value = stored - (0x800000L << (8 * fractionBytes));
        long a = Math.abs(value);
        long packed = a >> (8 * fractionBytes);
        long fractionUnits = a & ((1L << (8 * fractionBytes)) - 1);
        long micros = switch (fractionBytes) {
            case 1 -> fractionUnits * 10_000;
            case 2 -> fractionUnits * 100;
            default -> fractionUnits;
        };
        Text text = new Text();
        if (value < 0) {
            text.put('-');
        }
        return text.digits((packed >> 12) & 0x3FF, 2).put(':').digits((packed >> 6) & 63, 2).put(':')
                .digits(packed & 63, 2).fraction(fsp, micros).done();
    }

    /** YEAR: one byte, years after 1900; 0 is the zero year {@code 0000}. */
    static int year(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(1);
        return v == 0 ? 0 : 1900 + v;
    }

    private static String timestampText(long seconds, int fsp, long micros) {
        if (seconds == 0 && micros == 0) {
            return new Text().zeroTimestamp().fraction(fsp, 0).done();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        return new Text().digits(t.getYear(), 4).put('-').digits(t.getMonthValue(), 2).put('-')
                .digits(t.getDayOfMonth(), 2).put(' ').digits(t.getHour(), 2).put(':').digits(t.getMinute(), 2).put(':')
                .digits(t.getSecond(), 2).fraction(fsp, micros).done();
    }

    /** The fraction bytes of a V2 temporal cell, as microseconds. */
    private static long micros(int fsp, ByteArrayInputStream in) throws IOException {
        int length = (fsp + 1) / 2;
        if (length == 0) {
            return 0;
        }
        long units = bigEndian(in, length);
        return switch (length) {
            case 1 -> units * 10_000;
            case 2 -> units * 100;
            default -> units;
        };
    }

    /** {@code length} bytes of {@code in}, big-endian, read without the array that {@code read(n)} allocates. */
    private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | in.read(); // 0 to 255; the stream throws EOFException at its end
        }
        return v;
    }

    /**
     * One cell's text, written digit by digit into one array and made a String once: the concatenation of padded
     * parts it replaces made seven Strings per DATETIME, and a 10,000-row UPDATE of a table with two DATETIME
     * columns decodes 40,000 of them. The text is ASCII, so the array holds bytes and the String is made from
     * them as ISO-8859-1 (one copy, no compression pass). 48 bytes hold the longest: a sign, a 19-digit
     * (corrupt) year and the rest of a DATETIME(6).
     */
    private static final class Text {
        private final byte[] chars = new byte[48];
        private int length;

        Text put(char c) {
            chars[length++] = (byte) c;
            return this;
        }

        /** {@code value} in decimal, zero-padded to {@code width} digits (longer values keep all their digits). */
        Text digits(long value, int width) {
            if (value < 0) {
                // Only from a corrupt cell; as before: the number's text, zero-padded in front of its sign.
                String s = Long.toString(value);
                for (int i = s.length(); i < width; i++) {
                    chars[length++] = '0';
                }
                for (int i = 0; i < s.length(); i++) {
                    chars[length++] = (byte) s.charAt(i);
                }
                return this;
            }
            int count = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                count++;
            }
            for (int i = count; i < width; i++) {
                chars[length++] = '0';
            }
            length += count;
            long rest = value;
            for (int at = length - 1; count > 0; count--, at--) {
                chars[at] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            return this;
        }

        /** {@code .123456} cut to the column's {@code fsp} digits, as the server prints it; nothing for fsp 0. */
        Text fraction(int fsp, long micros) {
            if (fsp <= 0) {
                return this;
            }
            put('.');
            int start = length;
            digits(micros, 6);
            length = start + Math.min(fsp, 6);
            return this;
        }

        Text zeroTimestamp() {
            return digits(0, 4).put('-').digits(0, 2).put('-').digits(0, 2).put(' ').digits(0, 2).put(':').digits(0, 2)
                    .put(':').digits(0, 2);
        }

        String done() {
            return new String(chars, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}

package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Deferred cells read exactly their bytes and decode to the same value however often they are read. */
class DeferredCellTest {
    @Test
    void decimal_readsItsLength_andDecodesTheSameValueTwice() throws IOException {
        // DECIMAL(4,2): one byte of integral digits, one of fraction; the sign bit set for a positive value.
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {(byte) 0x8C, 0x22, 0x73, (byte) 0xDD, 0x7F});
        DeferredCell.Decimal positive = DeferredCell.Decimal.read(2 << 8 | 4, in);
        DeferredCell.Decimal negative = DeferredCell.Decimal.read(2 << 8 | 4, in);

        assertThat(positive.value()).isEqualTo(new BigDecimal("12.34"));
        assertThat(positive.value()).isEqualTo(new BigDecimal("12.34")); // the library flips the bytes it is given
        assertThat(negative.value()).isEqualTo(new BigDecimal("-12.34"));
        assertThat(negative.value()).isEqualTo(new BigDecimal("-12.34"));
        assertThat(in.read()).isEqualTo(0x7F);
    }

    @Test
    void temporal_readsItsTypesLength_andDecodesToTheServersText() throws IOException {
        // DATETIME(3) 2024-02-29 23:59:59.123: five bytes, then two of fraction (1230 ten-thousandths).
        long v = 0x80_0000_0000L | (2024L * 13 + 2) << 22 | 29L << 17 | 23L << 12 | 59L << 6 | 59;
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {(byte) (v >> 32), (byte) (v >> 24), (byte) (v >> 16),
                (byte) (v >> 8), (byte) v, 0x04, (byte) 0xCE, 0x00, 0x00, 0x00, 0x7F});
        DeferredCell.Temporal datetime = DeferredCell.Temporal.read(ColumnType.DATETIME_V2, 3, in);
        DeferredCell.Temporal date = DeferredCell.Temporal.read(ColumnType.DATE, 0, in);

        assertThat(datetime.value()).isEqualTo("2024-02-29 23:59:59.123");
        assertThat(datetime.value()).isEqualTo("2024-02-29 23:59:59.123");
        assertThat(date.value()).isEqualTo("0000-00-00");
        assertThat(in.read()).isEqualTo(0x7F);
    }

    @Test
    void text_isDecodedByItsCharset() {
        Charset latin1 = Charset.forName("windows-1252");
        assertThat(new DeferredCell.Text("caf\u00e9".getBytes(latin1), latin1).value()).isEqualTo("café");
        assertThat(new DeferredCell.Text("寿司🍣".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).value())
                .isEqualTo("寿司🍣");
    }
}

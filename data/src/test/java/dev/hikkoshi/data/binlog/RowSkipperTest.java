package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RowSkipperTest {
    private static TableMapEventData map(long id, String table) {
        TableMapEventData m = new TableMapEventData();
        m.setTableId(id);
        m.setDatabase("shop");
        m.setTable(table);
        return m;
    }

    @Test
    void anUnreadTablesRows_areSkippedToTheEventsEnd_andATableIsAskedAboutOncePerMap() throws Exception {
        Map<Long, TableMapEventData> maps = new HashMap<>();
        maps.put(1L, map(1, "orders"));
        maps.put(2L, map(2, "sessions"));
        AtomicInteger asked = new AtomicInteger();
        EventDecoding.RowSkipper skipper = new EventDecoding.RowSkipper(maps, m -> {
            asked.incrementAndGet();
            return m.getTable().equals("sessions");
        });

        ByteArrayInputStream read = new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5});
        read.enterBlock(5);
        assertThat(skipper.skipped(1, read)).isNull();
        assertThat(skipper.skipped(1, read)).isNull();
        assertThat(read.available()).isEqualTo(5);

        // The event's rows, then its checksum: the rows' loop ends where available() says 0, at the block's end.
        byte[] event = new byte[20_000];
        event[event.length - 4] = 9;
        ByteArrayInputStream unread = new ByteArrayInputStream(event);
        unread.enterBlock(event.length - 4);
        assertThat(skipper.skipped(2, unread)).isEmpty();
        assertThat(unread.available()).isZero();
        assertThat(skipper.skipped(2, unread)).isEmpty(); // an UPDATE's after image: nothing left to read
        assertThat(unread.available()).isZero();
        unread.skipToTheEndOfTheBlock(); // as the library does after each event
        assertThat(unread.read()).isEqualTo(9);
        assertThat(asked).hasValue(2);

        // A new map of the same table (its next rows event) is asked about again: readers come and go.
        maps.put(1L, map(1, "orders"));
        assertThat(skipper.skipped(1, new ByteArrayInputStream(new byte[] {7}))).isNull();
        assertThat(asked).hasValue(3);
    }
}

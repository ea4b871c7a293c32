package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GtidStateTest {
    @Test
    void covers_andAfter_workPerDomain() {
        GtidState s = GtidState.parse("0-101-42,1-7-3");
        assertThat(s.covers(GtidState.Gtid.parse("0-101-42"))).isTrue();
        assertThat(s.covers(GtidState.Gtid.parse("0-102-43"))).isFalse();
        assertThat(s.covers(GtidState.Gtid.parse("2-1-1"))).isFalse();
        assertThat(s.after(GtidState.Gtid.parse("0-102-43")).text()).isEqualTo("0-102-43,1-7-3");
        assertThat(s.oldest(GtidState.parse("0-101-40,1-7-9")).text()).isEqualTo("0-101-40,1-7-3");
        assertThat(s.behind(GtidState.parse("0-101-50,1-7-1"))).isEqualTo(List.of(GtidState.Gtid.parse("0-101-50")));
    }

    @Test
    void enumAndSetLabels_undoQuotes() {
        assertThat(RowDecoder.labels("enum('a','it''s','x,y')")).containsExactly("a", "it's", "x,y");
        assertThat(RowDecoder.labels("set('')")).containsExactly("");
    }
}

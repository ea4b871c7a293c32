package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.capture.CapturePosition;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainPointTest {
    private static CapturePosition.Gtid gtid(String set) {
        return new CapturePosition.Gtid(set);
    }

    private static CapturePosition.BinlogFile file(String name, long position) {
        return new CapturePosition.BinlogFile(name, position);
    }

    @Test
    void gtid_reachedOnlyWhenEveryDomainOfTheWantedPositionIsCovered() {
        assertThat(DrainPoint.reached(gtid("0-1-42"), gtid("0-1-42"))).contains(true);
        assertThat(DrainPoint.reached(gtid("0-2-43"), gtid("0-1-42"))).contains(true);
        assertThat(DrainPoint.reached(gtid("0-1-41"), gtid("0-1-42"))).contains(false);
        assertThat(DrainPoint.reached(gtid("0-1-50"), gtid("0-1-42,1-3-7"))).contains(false);
        assertThat(DrainPoint.reached(gtid("0-1-50,1-3-7"), gtid("0-1-42,1-3-7"))).contains(true);
        assertThat(DrainPoint.reached(gtid(""), gtid(""))).contains(true);
        assertThat(DrainPoint.reached(gtid(""), gtid("0-1-1"))).contains(false);
    }

    @Test
    void binlogFile_reachedByFileSequenceThenPosition() {
        assertThat(DrainPoint.reached(file("bin.000002", 4), file("bin.000001", 900))).contains(true);
        assertThat(DrainPoint.reached(file("bin.000001", 900), file("bin.000001", 900))).contains(true);
        assertThat(DrainPoint.reached(file("bin.000001", 899), file("bin.000001", 900))).contains(false);
        assertThat(DrainPoint.reached(file("bin.999999", 900), file("bin.1000000", 4))).contains(false);
    }

    @Test
    void changeLog_reachedAtOrAfterTheWantedId() {
        assertThat(DrainPoint.reached(new CapturePosition.ChangeLog(5), new CapturePosition.ChangeLog(4))).contains(true);
        assertThat(DrainPoint.reached(new CapturePosition.ChangeLog(4), new CapturePosition.ChangeLog(4))).contains(true);
        assertThat(DrainPoint.reached(new CapturePosition.ChangeLog(3), new CapturePosition.ChangeLog(4))).contains(false);
    }

    @Test
    void otherNotations_orMixedOnes_cannotBeCompared() {
        assertThat(DrainPoint.reached(new CapturePosition.DifferentialPass(5), new CapturePosition.DifferentialPass(4)))
                .isEqualTo(Optional.empty());
        assertThat(DrainPoint.reached(new CapturePosition.ChangeLog(5), gtid("0-1-4"))).isEmpty();
        assertThat(DrainPoint.reached(gtid("0-1-5"), file("bin.000001", 4))).isEmpty();
        assertThat(DrainPoint.reached(file("a.log", 5), file("b.log", 4))).isEmpty();
    }
}

package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoveStepsTest {
    @Test
    void poolSize_coversEveryRunningMove_andEachTenantsWatchAndReverseStream_plusTheirDrainsWithTriggerCapture() {
        // 2 moves x (4 copy + 4) + 20 tenants x 2 + 4
        assertThat(MoveSteps.poolSize(20, 2, 4, false)).isEqualTo(60);
        // the watch's drain holds a connection of its own on the old site: 20 more
        assertThat(MoveSteps.poolSize(20, 2, 4, true)).isEqualTo(80);
    }
}

package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The checkpoint row's source commit time, on a target that rounds fractional seconds as MySQL does. */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(60)
class StreamCheckpointsIT {
    @Test
    void sourceCommitTime_isStoredRoundedDown_evenWhereTheServerRounds_andADifferentialClaimKeepsItsMilliseconds(
            SchemaPair pair) throws Exception {
        String stream = "checkpoint-test-" + UUID.randomUUID();
        Instant committed = Instant.parse("2026-11-30T12:00:00.900Z");
        try (Connection target = pair.target().connect()) {
            try (Statement s = target.createStatement()) {
                // MariaDB truncates by default; MySQL 5.6.4 and later (and Aurora) round, as this mode (MariaDB
                // 10.4 and later) makes the sandbox do.
                s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',TIME_ROUND_FRACTIONAL')");
            }
            StreamCheckpoints.install(target);
            try {
                StreamCheckpoints.save(target, stream, new CapturePosition.ChangeLog(7), committed, 3);
                StreamCheckpoints.Checkpoint binlog = StreamCheckpoints.load(target, stream).orElseThrow();

                assertThat(binlog.sourceCommittedAt()).contains(Instant.parse("2026-11-30T12:00:00Z"));
                assertThat(binlog.coveredBefore()).isEqualTo(binlog.sourceCommittedAt());

                CapturePosition claim = new CapturePosition.DifferentialPass(4, Optional.of(committed));
                StreamCheckpoints.save(target, stream, claim, committed, 5);
                StreamCheckpoints.Checkpoint differential = StreamCheckpoints.load(target, stream).orElseThrow();

                assertThat(differential.position()).isEqualTo(claim);
                assertThat(differential.coveredBefore()).contains(committed);
            } finally {
                try (Statement s = target.createStatement()) {
                    s.execute("DELETE FROM hikkoshi.stream_checkpoint WHERE stream = '" + stream + "'");
                }
            }
        }
    }
}

package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code hikkoshi check lag}: every change stream's lag (seconds behind its source, which rises when a stream
 * stops applying while its source keeps changing) under the thresholds, and none stopped or failed. A stopped
 * or failed stream is CRITICAL whatever its lag: it no longer carries writes, and for a reverse stream a rollback
 * could no longer bring every write back.
 */
public final class LagCheck {
    static final String SERVICE = "LAG";

    private LagCheck() {
    }

    /** Judges {@code streams} (those of one tenant, or all) against thresholds on the lag in seconds. */
    public static CheckResult run(List<StreamStatus> streams, Threshold lagSeconds) {
        if (streams.isEmpty()) {
            return new CheckResult(SERVICE, CheckStatus.OK, "no change streams", List.of(PerfData.of("streams", 0, "")));
        }
        CheckStatus status = CheckStatus.OK;
        List<String> problems = new ArrayList<>();
        for (StreamStatus s : streams) {
            if (s.state() == StreamState.STOPPED || s.state() == StreamState.FAILED) {
                status = status.worst(CheckStatus.CRITICAL);
                problems.add("stream " + s.id() + " " + s.state() + s.problem().map(p -> ": " + p).orElse(""));
                continue;
            }
            CheckStatus byLag = lagSeconds.judge(s.lagSeconds());
            if (byLag != CheckStatus.OK) {
                status = status.worst(byLag);
                problems.add("stream " + s.id() + " lags " + seconds(s.lagSeconds()) + " (above "
                        + RouterCheck.bound(lagSeconds, byLag) + "s)");
            }
        }
        StreamStatus worst = streams.stream().max(Comparator.comparingDouble(StreamStatus::lagSeconds)).orElseThrow();
        String facts = streams.size() + (streams.size() == 1 ? " stream" : " streams") + ", largest lag "
                + seconds(worst.lagSeconds()) + " (" + worst.id() + ")";
        String summary = problems.isEmpty() ? facts : String.join("; ", problems) + " (" + facts + ")";
        long stopped = streams.stream().filter(s -> s.state() == StreamState.STOPPED || s.state() == StreamState.FAILED).count();
        return new CheckResult(SERVICE, status, summary, List.of(
                PerfData.of("lag", RouterCheck.round(worst.lagSeconds()), "s").thresholds(lagSeconds),
                PerfData.of("streams", streams.size(), ""),
                new PerfData("stopped", stopped, "", Optional.empty(), Optional.of(0.0), Optional.of(0.0), Optional.empty())));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1fs", s);
    }
}

package dev.hikkoshi.watch.check;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a check plugin prints and exits with: {@code HIKKOSHI ROUTER OK - summary | perfdata...}, one line.
 * Built by the checks in this package, printed by the {@code hikkoshi check} commands.
 */
public record CheckResult(String service, CheckStatus status, String summary, List<PerfData> perfData) {
    public CheckResult {
        perfData = List.copyOf(perfData);
    }

    public static CheckResult unknown(String service, String why) {
        return new CheckResult(service, CheckStatus.UNKNOWN, why, List.of());
    }

    /** The status line; a '|' in the summary would split it, so it is replaced. */
    public String line() {
        String text = "HIKKOSHI " + service + " " + status + " - " + summary.replace('|', '/').replace('\n', ' ');
        return perfData.isEmpty() ? text
                : text + " | " + perfData.stream().map(PerfData::toString).collect(Collectors.joining(" "));
    }
}

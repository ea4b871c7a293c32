package dev.hikkoshi.watch.check;

/**
 * A check plugin's verdict and exit code, as the Nagios plugin guidelines define them and Mackerel's check
 * plugins follow: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check itself could not run: bad config or usage).
 */
public enum CheckStatus {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    private final int exitCode;

    CheckStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The more severe of two verdicts; UNKNOWN ranks below CRITICAL (a failure seen beats one not seen). */
    public CheckStatus worst(CheckStatus other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(CheckStatus s) {
        return switch (s) {
            case OK -> 0;
            case WARNING -> 1;
            case UNKNOWN -> 2;
            case CRITICAL -> 3;
        };
    }
}

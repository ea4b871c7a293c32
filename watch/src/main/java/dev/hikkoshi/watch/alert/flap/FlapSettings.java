package dev.hikkoshi.watch.alert.flap;

/**
 * Flapping suppression: an alert becomes active once {@code fire} of its last {@code of} evaluations were firing,
 * and clears only after {@code clearAfter} consecutive resolved evaluations (the hysteresis). The default,
 * 1 of 1 and 1, passes every evaluation through unchanged.
 */
public record FlapSettings(int fire, int of, int clearAfter) {
    public static final FlapSettings NONE = new FlapSettings(1, 1, 1);

    public FlapSettings {
        if (of < 1 || of > 64 || fire < 1 || fire > of || clearAfter < 1) {
            throw new IllegalArgumentException("flapping needs 1 <= fire <= of <= 64 and clearAfter >= 1, was "
                    + fire + " of " + of + ", clear after " + clearAfter);
        }
    }
}

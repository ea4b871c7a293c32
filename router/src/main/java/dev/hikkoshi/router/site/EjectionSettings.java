package dev.hikkoshi.router.site;

import java.time.Duration;

/**
 * Passive ejection ({@code ejection:} of a site): an upstream is taken out of rotation after
 * {@code connectFailures} failed connection attempts in a row or {@code consecutive5xx} 5xx answers in a row,
 * for {@code baseTime} doubled on each repeated ejection up to {@code maxTime}, and then returns. At most
 * {@code maxEjectedPercent} of a site's upstreams (rounded down) are ejected at once, so that a burst caused
 * by one bad request pattern cannot empty a site.
 */
public record EjectionSettings(int connectFailures, int consecutive5xx, Duration baseTime, Duration maxTime,
                               int maxEjectedPercent) {
    public EjectionSettings {
        if (connectFailures < 1 || consecutive5xx < 1) {
            throw new IllegalArgumentException("ejection thresholds must be at least 1, were connect-failures="
                    + connectFailures + " consecutive-5xx=" + consecutive5xx);
        }
        if (baseTime.isNegative() || baseTime.isZero() || maxTime.compareTo(baseTime) < 0) {
            throw new IllegalArgumentException("ejection times must be positive with max >= base, were base="
                    + baseTime + " max=" + maxTime);
        }
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("max ejected percent must be 0..100, was " + maxEjectedPercent);
        }
    }

    /** 2 connect failures or 5 5xx in a row; 10 s doubling up to 5 min; at most half of a site ejected. */
    public static EjectionSettings defaults() {
        return new EjectionSettings(2, 5, Duration.ofSeconds(10), Duration.ofMinutes(5), 50);
    }

    /** How many of {@code upstreams} may be ejected at once. */
    public int cap(int upstreams) {
        return upstreams * maxEjectedPercent / 100;
    }
}

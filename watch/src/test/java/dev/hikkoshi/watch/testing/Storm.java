package dev.hikkoshi.watch.testing;

import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.PipelineInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The acceptance storm: 10,000 error events of one check from 50 tenants, evenly over the first 60 seconds. */
public final class Storm {
    public static final Instant START = Instant.parse("2026-11-29T06:00:00Z");
    public static final int EVENTS = 10_000;
    public static final int TENANTS = 50;
    /** 60 s / 10,000 events. */
    public static final long SPACING_MILLIS = 6;

    private Storm() {
    }

    public static String tenant(int i) {
        return String.format("t%02d", i % TENANTS);
    }

    public static List<PipelineInput> events() {
        List<PipelineInput> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add(new PipelineInput.Event(START.plusMillis(i * SPACING_MILLIS), Labels.of("check", "http-5xx",
                    "site", "cloud", "tenant", tenant(i), "severity", "warning", "env", "production"),
                    AlertStatus.FIRING, 1));
        }
        return out;
    }

    /** How many storm events of {@code tenant} (or of all, if null) happened strictly before {@code t}. */
    public static long before(Instant t, String tenant) {
        long elapsed = t.toEpochMilli() - START.toEpochMilli();
        int only = tenant == null ? -1 : Integer.parseInt(tenant.substring(1));
        long n = 0;
        for (int i = 0; i < EVENTS && i * SPACING_MILLIS < elapsed; i++) {
            if (only < 0 || i % TENANTS == only) {
                n++;
            }
        }
        return n;
    }
}

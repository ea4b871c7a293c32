package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import java.util.List;
import java.util.Objects;

/**
 * What the plan can read from the routers: each one's traffic window and requests in flight (in process for the
 * demo, over the admin APIs for {@code hikkoshi plan}), or why it reads none. Used by {@link LongRequestCheck}.
 *
 * @param names   how findings name the routers (their admin URLs)
 * @param missing why no router is read, when {@code windows} is empty
 */
public record RouterReadings(List<String> names, List<TrafficWindow> windows, List<InFlightRequests> open,
                             String missing) {
    public RouterReadings {
        names = List.copyOf(names);
        windows = List.copyOf(windows);
        open = List.copyOf(open);
        Objects.requireNonNull(missing, "missing");
        if (names.size() != windows.size() || windows.size() != open.size()) {
            throw new IllegalArgumentException("one name, traffic window and in-flight view per router");
        }
    }

    /** No router to read, and why (said in the plan's warning). */
    public static RouterReadings none(String why) {
        return new RouterReadings(List.of(), List.of(), List.of(), why);
    }

    /** One router read through the given views. */
    public static RouterReadings of(List<String> names, List<TrafficWindow> windows, List<InFlightRequests> open) {
        return new RouterReadings(names, windows, open, "");
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }
}

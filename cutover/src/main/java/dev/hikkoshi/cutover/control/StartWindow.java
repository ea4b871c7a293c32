package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code plan.start-window: {from: "22:00", to: "04:00", zone: Asia/Tokyo}}: the time of day in which the controller
 * may start moves (PLANNED -> COPYING). A window may cross midnight ({@code from} after {@code to}); {@code from}
 * is inside it, {@code to} is not. Moves already started go on outside it: a move stopped half-way holds more
 * risk than one finishing late. Bound by {@code ControllerProcess}; the {@link Controller} asks it before each
 * start and {@code hikkoshi status} says when nothing starts because of it.
 */
public record StartWindow(LocalTime from, LocalTime to, ZoneId zone) {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final String TIME = "a time of day as HH:MM, such as \"22:00\"";

    public StartWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a start window needs a length: from and to are both " + from);
        }
    }

    /**
     * Binds {@code plan.start-window} (absent: moves may start at any time), recording problems as
     * {@code path: value (expected: ...)} in the node's problems.
     */
    public static Optional<StartWindow> bind(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        if (!node.isMap()) {
            node.problem("a window such as {from: \"22:00\", to: \"04:00\", zone: Asia/Tokyo}");
            return Optional.empty();
        }
        node.allowOnly("from", "to", "zone");
        Optional<LocalTime> from = time(node.get("from"));
        Optional<LocalTime> to = time(node.get("to"));
        Optional<ZoneId> zone = zone(node.get("zone"));
        if (from.isPresent() && to.isPresent() && from.get().equals(to.get())) {
            node.get("to").problem("a time other than from (" + HH_MM.format(from.get()) + "): a window needs a length");
            return Optional.empty();
        }
        if (from.isEmpty() || to.isEmpty() || zone.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StartWindow(from.get(), to.get(), zone.get()));
    }

    private static Optional<LocalTime> time(ConfigNode node) {
        if (!node.require(TIME)) {
            return Optional.empty();
        }
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!text.get().matches("\\d\\d:\\d\\d")) {
                throw new DateTimeParseException("not HH:MM", text.get(), 0);
            }
            return Optional.of(LocalTime.parse(text.get(), HH_MM));
        } catch (DateTimeParseException e) {
            node.problem(TIME);
            return Optional.empty();
        }
    }

    private static Optional<ZoneId> zone(ConfigNode node) {
        Optional<String> text = node.requiredText("a time zone such as Asia/Tokyo or UTC");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(text.get()));
        } catch (DateTimeException e) {
            node.problem("a time zone such as Asia/Tokyo or UTC");
            return Optional.empty();
        }
    }

    /** Whether a move may start at {@code now}. */
    public boolean allows(Instant now) {
        LocalTime t = now.atZone(zone).toLocalTime();
        return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
    }

    /** Blocks until a move may start by {@code clock} (checking at least every second, so a moved clock counts). */
    public void awaitOpen(Clock clock) throws InterruptedException {
        while (!allows(clock.instant())) {
            Instant now = clock.instant();
            long untilOpen = Duration.between(now, nextOpening(now)).toMillis();
            Thread.sleep(Math.max(10, Math.min(untilOpen, 1_000)));
        }
    }

    /** The next time the window opens at or after {@code now} (now itself when it is open). */
    public Instant nextOpening(Instant now) {
        if (allows(now)) {
            return now;
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime opening = local.with(from).withSecond(0).withNano(0);
        if (!opening.isAfter(local)) {
            opening = opening.plusDays(1);
        }
        return opening.toInstant();
    }

    /** {@code 22:00-04:00 Asia/Tokyo}. */
    public String describe() {
        return HH_MM.format(from) + "-" + HH_MM.format(to) + " " + zone.getId();
    }

    /** Why nothing starts at {@code now}, for status: "outside the start window 22:00-04:00 Asia/Tokyo ...". */
    public String closedReason(Instant now) {
        ZonedDateTime opens = nextOpening(now).atZone(zone);
        return "outside the start window " + describe() + ": no move starts until " + HH_MM.format(opens)
                + (opens.toLocalDate().equals(now.atZone(zone).toLocalDate()) ? "" : " tomorrow")
                + "; moves already started go on";
    }
}

package dev.hikkoshi.watch.alert.group;

import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.message.MessageText;
import dev.hikkoshi.watch.alert.route.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The alerts of one route that share the values of the route's group-by labels, and the group's timer.
 *
 * <p>Timing, as Alertmanager defines it: a new group waits {@code group-wait} before its first message, so that
 * alerts starting together arrive together. From then on the group's timer fires every {@code group-interval};
 * at each firing the group sends an update if anything changed since its last message (a new alert, more events
 * of an alert, an alert resolved) and otherwise nothing, unless its firing alerts have gone unrepeated for
 * {@code repeat-interval}, in which case it repeats them. Repeats are only considered when the timer fires, so
 * the effective repeat interval is rounded up to a multiple of the group interval.
 *
 * <p>Owned by the pipeline's single thread: no locking.
 */
public final class AlertGroup {
    private final String key;
    private final Labels groupLabels;
    private final Route route;
    private final Map<Labels, TrackedAlert> alerts = new LinkedHashMap<>();
    private Instant due;
    private Optional<Instant> lastNotified = Optional.empty();

    public AlertGroup(String key, Labels groupLabels, Route route, Instant created) {
        this.key = key;
        this.groupLabels = groupLabels;
        this.route = route;
        this.due = created.plus(route.groupWait());
    }

    public String key() {
        return key;
    }

    public Route route() {
        return route;
    }

    /** When the group's timer fires next. */
    public Instant due() {
        return due;
    }

    public boolean isEmpty() {
        return alerts.isEmpty();
    }

    /** A firing evaluation: a new alert, or more events of one already in the group (deduplication). */
    public void fire(Labels alert, Instant time, long count, Consumer<Suppression> audit) {
        TrackedAlert a = alerts.get(alert);
        if (a == null) {
            a = new TrackedAlert(alert, time);
            alerts.put(alert, a);
            audit.accept(new Suppression(time, SuppressionReason.GROUPED, alert.fingerprint(), route.receiver(),
                    "joined group " + title() + "; sent with the group at " + due));
        }
        a.status = AlertStatus.FIRING;
        a.events += count;
        a.changed = true;
    }

    /** The alert cleared; the receiver hears of it at the group's next timer if it had been told it fired. */
    public void resolve(Labels alert) {
        TrackedAlert a = alerts.get(alert);
        if (a != null && a.status == AlertStatus.FIRING) {
            a.status = AlertStatus.RESOLVED;
            a.changed = true;
        }
    }

    /** What a timer firing at {@code now} would send, before the budget is applied; empty if nothing. */
    public Optional<Message> flush(Instant now, Mute mute, Consumer<Suppression> audit) {
        List<TrackedAlert> firing = new ArrayList<>();
        List<TrackedAlert> resolved = new ArrayList<>();
        boolean changed = false;
        for (var it = alerts.values().iterator(); it.hasNext(); ) {
            TrackedAlert a = it.next();
            if (a.status == AlertStatus.RESOLVED) {
                if (a.notified) {
                    resolved.add(a);
                    changed = true;
                } else {
                    it.remove();
                    audit.accept(new Suppression(now, SuppressionReason.NEVER_NOTIFIED, a.labels.fingerprint(),
                            route.receiver(), "resolved before any message named it; no resolution is sent"));
                }
                continue;
            }
            Optional<Mute.Reason> muted = mute.check(a.labels, now);
            if (muted.isPresent()) {
                String said = muted.get().reason() + muted.get().detail();
                if (!said.equals(a.lastMute)) {
                    a.lastMute = said;
                    audit.accept(new Suppression(now, muted.get().reason(), a.labels.fingerprint(), route.receiver(),
                            muted.get().detail()));
                }
                continue;
            }
            a.lastMute = null;
            firing.add(a);
            changed |= a.changed;
        }
        boolean repeat = !changed && !firing.isEmpty() && lastNotified.isPresent()
                && !lastNotified.get().plus(route.repeatInterval()).isAfter(now);
        if (!changed && !repeat) {
            return Optional.empty();
        }
        Message.Kind kind = lastNotified.isEmpty() ? Message.Kind.FIRING
                : repeat ? Message.Kind.REPEAT
                : firing.isEmpty() ? Message.Kind.RESOLVED : Message.Kind.UPDATE;
        if (kind == Message.Kind.FIRING && firing.isEmpty()) {
            kind = Message.Kind.RESOLVED;
        }
        long events = firing.stream().mapToLong(a -> a.events).sum();
        List<String> lines = new ArrayList<>();
        lines.add(firing.isEmpty() ? "every alert of the group resolved" : summary(firing, events));
        firing.forEach(a -> lines.add("firing: " + rest(a.labels) + " (" + MessageText.events(a.events) + " since "
                + a.firstSeen + ")"));
        resolved.forEach(a -> lines.add("resolved: " + rest(a.labels) + " (" + MessageText.events(a.events) + ")"));
        String title = (firing.isEmpty() ? "[RESOLVED]" : "[" + kind + ":" + firing.size()
                + (resolved.isEmpty() ? "" : ", RESOLVED:" + resolved.size()) + "]") + " " + title();
        return Optional.of(new Message(route.receiver(), now, kind, key, title, lines, events));
    }

    /** The message for this group was sent (alone or in a digest): what it named is now known to the receiver. */
    public void sent(Instant now, Mute mute) {
        for (var it = alerts.values().iterator(); it.hasNext(); ) {
            TrackedAlert a = it.next();
            if (a.status == AlertStatus.RESOLVED) {
                if (a.notified) {
                    it.remove();
                }
            } else if (mute.check(a.labels, now).isEmpty()) {
                a.notified = true;
                a.changed = false;
            }
        }
        lastNotified = Optional.of(now);
        advance(now);
    }

    /** The timer fired with nothing to send. */
    public void idle(Instant now) {
        advance(now);
    }

    private void advance(Instant now) {
        while (!due.isAfter(now)) {
            due = due.plus(route.groupInterval());
        }
    }

    /** {@code check=http-5xx site=cloud}: the group's labels; {@code (all)} for a route that groups nothing. */
    public String title() {
        return groupLabels.values().isEmpty() ? "(all alerts)" : groupLabels.fingerprint();
    }

    private String summary(List<TrackedAlert> firing, long events) {
        TreeSet<String> tenants = new TreeSet<>();
        firing.forEach(a -> a.labels.get(Labels.TENANT).ifPresent(tenants::add));
        String from = tenants.isEmpty() ? firing.size() + " alert" + (firing.size() == 1 ? "" : "s")
                : tenants.size() + " tenant" + (tenants.size() == 1 ? "" : "s");
        return MessageText.events(events) + " from " + from;
    }

    private String rest(Labels labels) {
        Map<String, String> m = new LinkedHashMap<>(labels.values());
        groupLabels.values().keySet().forEach(m::remove);
        return m.isEmpty() ? "(the group's labels)" : new Labels(m).fingerprint();
    }
}

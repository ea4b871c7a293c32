package dev.hikkoshi.watch.alert;

import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.budget.MessageBudget;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.flap.FlapFilter;
import dev.hikkoshi.watch.alert.group.AlertGroup;
import dev.hikkoshi.watch.alert.group.Mute;
import dev.hikkoshi.watch.alert.inhibit.Inhibitor;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.message.MessageText;
import dev.hikkoshi.watch.alert.route.Receiver;
import dev.hikkoshi.watch.alert.route.Route;
import dev.hikkoshi.watch.alert.silence.Silence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The alert pipeline: events in, messages out, every suppression to the audit consumer. Stages, in order:
 * <ol>
 *   <li>labels: an event without {@code env} gets the config's environment, without {@code severity} "warning";</li>
 *   <li>flapping: {@link FlapFilter} (N of M to fire, K in a row to clear; eager while the tenant bakes);</li>
 *   <li>routing: the first route whose matchers match; then environment scoping (the receiver must name the env);</li>
 *   <li>grouping and deduplication: {@link AlertGroup} (group-by, group wait, group interval, repeat interval);</li>
 *   <li>at each group timer: freeze hold, silences, inhibition (incl. rollbacks) mute firing alerts; resolutions of
 *       notified alerts always pass;</li>
 *   <li>budget: per receiver per minute; what does not fit becomes one digest.</li>
 * </ol>
 * Time only moves through the inputs' times and {@link #advanceTo}, never a wall clock, so a replay and the live
 * service (which calls it from a ticker on its clock) produce the same messages for the same inputs.
 *
 * <p>Concurrency: not thread-safe; the live service serializes calls.
 */
public final class AlertPipeline {
    /** The severity of an event that names none. */
    public static final String DEFAULT_SEVERITY = "warning";

    private final AlertsConfig config;
    private final Supplier<List<Silence>> silences;
    private final Consumer<Suppression> audit;
    private final FlapFilter flap;
    private final Inhibitor inhibitor;
    private final Map<String, AlertGroup> groups = new LinkedHashMap<>();
    /** Which group each active alert lives in (empty: unrouted or out of scope, already audited). */
    private final Map<Labels, Optional<String>> placed = new HashMap<>();
    private final Map<String, MessageBudget> budgets = new HashMap<>();
    /** Groups already audited as waiting for budget, so that a wait is logged once, not at every tick. */
    private final java.util.Set<String> waiting = new java.util.HashSet<>();

    public AlertPipeline(AlertsConfig config, Supplier<List<Silence>> silences, Consumer<Suppression> audit) {
        this.config = config;
        this.silences = silences;
        this.audit = audit;
        this.flap = new FlapFilter(config.flapping());
        this.inhibitor = new Inhibitor(config.inhibitRules());
        config.receivers().values().forEach(r -> budgets.put(r.name(), new MessageBudget(r.budgetPerMinute())));
    }

    /** Takes one input; messages only leave through {@link #advanceTo}. */
    public void offer(PipelineInput input) {
        if (input instanceof PipelineInput.MoveFact f) {
            inhibitor.hold(f.tenant(), f.hold());
        } else if (input instanceof PipelineInput.Event e) {
            event(e);
        }
    }

    private void event(PipelineInput.Event e) {
        Labels withEnv = e.labels().get(Labels.ENV).isPresent() ? e.labels() : e.labels().with(Labels.ENV, config.environment());
        Labels labels = withEnv.get(Labels.SEVERITY).isPresent() ? withEnv : withEnv.with(Labels.SEVERITY, DEFAULT_SEVERITY);
        boolean eager = inhibitor.holdOf(labels) == MoveHold.BAKING;
        switch (flap.evaluate(labels, e.status(), eager)) {
            case HELD -> audit.accept(new Suppression(e.time(), SuppressionReason.FLAPPING, labels.fingerprint(), "-",
                    e.status() == AlertStatus.FIRING
                            ? "fires after " + config.flapping().fire() + " of " + config.flapping().of()
                            + " evaluations firing"
                            : "clears after " + config.flapping().clearAfter() + " resolved evaluations in a row"));
            case IDLE -> {
            }
            case ACTIVE -> {
                inhibitor.activated(labels);
                place(labels, e.time()).ifPresent(g -> groups.get(g).fire(labels, e.time(), e.count(), audit));
            }
            case CLEARED -> {
                inhibitor.cleared(labels);
                Optional<String> g = placed.remove(labels);
                if (g != null && g.isPresent() && groups.containsKey(g.get())) {
                    groups.get(g.get()).resolve(labels);
                }
            }
        }
    }

    private Optional<String> place(Labels labels, Instant time) {
        Optional<String> known = placed.get(labels);
        if (known != null && (known.isEmpty() || groups.containsKey(known.get()))) {
            return known;
        }
        Optional<String> key = route(labels, time);
        placed.put(labels, key);
        return key;
    }

    private Optional<String> route(Labels labels, Instant time) {
        for (int i = 0; i < config.routes().size(); i++) {
            Route route = config.routes().get(i);
            if (!route.matches(labels)) {
                continue;
            }
            Receiver receiver = config.receivers().get(route.receiver());
            String env = labels.get(Labels.ENV).orElse("");
            if (!receiver.accepts(env)) {
                audit.accept(new Suppression(time, SuppressionReason.OUT_OF_SCOPE, labels.fingerprint(), receiver.name(),
                        receiver.environments().isEmpty()
                                ? "receiver " + receiver.name() + " names no env, so it accepts nothing"
                                : "receiver " + receiver.name() + " accepts env "
                                + String.join(", ", receiver.environments().stream().sorted().toList()) + ", not " + env));
                return Optional.empty();
            }
            Labels groupLabels = labels.only(route.groupBy());
            String key = "route" + i + " {" + groupLabels.fingerprint() + "}";
            groups.computeIfAbsent(key, k -> new AlertGroup(k, groupLabels, route, time));
            return Optional.of(key);
        }
        audit.accept(new Suppression(time, SuppressionReason.NO_ROUTE, labels.fingerprint(), "-",
                "no route matches; add a route for it or a catch-all route at the end"));
        return Optional.empty();
    }

    /**
     * Fires every group timer due at or before {@code now} and returns the messages to send, in order. Groups due
     * together for one receiver share its budget: all fit, or all but one are sent and the rest go into one digest;
     * with no budget left the groups wait (still due) for the next tick.
     */
    public List<Message> advanceTo(Instant now) {
        Mute mute = (alert, t) -> mute(alert, t);
        Map<String, List<AlertGroup>> dueByReceiver = new LinkedHashMap<>();
        Map<AlertGroup, Message> pending = new HashMap<>();
        List<AlertGroup> due = groups.values().stream().filter(g -> !g.due().isAfter(now))
                .sorted(Comparator.comparing(AlertGroup::due).thenComparing(AlertGroup::key)).toList();
        for (AlertGroup g : due) {
            Optional<Message> m = g.flush(now, mute, audit);
            if (m.isEmpty()) {
                g.idle(now);
            } else {
                pending.put(g, m.get());
                dueByReceiver.computeIfAbsent(g.route().receiver(), r -> new ArrayList<>()).add(g);
            }
        }
        List<Message> out = new ArrayList<>();
        dueByReceiver.forEach((receiver, list) -> out.addAll(spend(receiver, list, pending, now, mute)));
        groups.values().removeIf(AlertGroup::isEmpty);
        waiting.retainAll(groups.keySet());
        return out;
    }

    private List<Message> spend(String receiver, List<AlertGroup> list, Map<AlertGroup, Message> pending, Instant now,
                                Mute mute) {
        MessageBudget budget = budgets.get(receiver);
        int available = budget.available(now);
        List<Message> out = new ArrayList<>();
        if (available <= 0) {
            list.stream().filter(g -> waiting.add(g.key())).forEach(g -> audit.accept(new Suppression(now,
                    SuppressionReason.OVER_BUDGET, g.title(), receiver, "budget of "
                            + config.receivers().get(receiver).budgetPerMinute()
                            + " messages a minute spent; waits until " + budget.nextFree())));
            return out;
        }
        list.forEach(g -> waiting.remove(g.key()));
        int direct = list.size() <= available ? list.size() : available - 1;
        for (int i = 0; i < direct; i++) {
            AlertGroup g = list.get(i);
            out.add(pending.get(g));
            g.sent(now, mute);
            budget.spend(now);
        }
        List<AlertGroup> rest = list.subList(direct, list.size());
        if (!rest.isEmpty()) {
            out.add(digest(receiver, rest, pending, now));
            rest.forEach(g -> {
                audit.accept(new Suppression(now, SuppressionReason.OVER_BUDGET, g.title(), receiver,
                        "budget of " + config.receivers().get(receiver).budgetPerMinute()
                                + " messages a minute spent; summarized in a digest"));
                g.sent(now, mute);
            });
            budget.spend(now);
        }
        return out;
    }

    private static Message digest(String receiver, List<AlertGroup> rest, Map<AlertGroup, Message> pending, Instant now) {
        long events = rest.stream().mapToLong(g -> pending.get(g).events()).sum();
        List<String> lines = new ArrayList<>();
        lines.add(MessageText.events(events) + " in " + rest.size() + " group" + (rest.size() == 1 ? "" : "s"));
        rest.forEach(g -> lines.add(pending.get(g).title() + ": " + MessageText.events(pending.get(g).events())));
        return new Message(receiver, now, Message.Kind.DIGEST, "digest",
                "[DIGEST] and " + rest.size() + " more group" + (rest.size() == 1 ? "" : "s") + " like this", lines,
                events);
    }

    private Optional<Mute.Reason> mute(Labels alert, Instant now) {
        Optional<Mute.Reason> inhibited = inhibitor.check(alert, now);
        if (inhibited.isPresent() && inhibited.get().reason() == SuppressionReason.HELD_FOR_FREEZE) {
            return inhibited;
        }
        for (Silence s : silences.get()) {
            if (s.activeAt(now) && s.matches(alert)) {
                return Optional.of(new Mute.Reason(SuppressionReason.SILENCED,
                        "silence " + s.id() + " until " + s.endsAt() + (s.comment().isEmpty() ? "" : " (" + s.comment() + ")")));
            }
        }
        return inhibited;
    }

    /** The earliest time a group timer is due, for the live ticker and replay to know when to stop. */
    public Optional<Instant> nextDue() {
        return groups.values().stream().map(AlertGroup::due).min(Comparator.naturalOrder());
    }
}

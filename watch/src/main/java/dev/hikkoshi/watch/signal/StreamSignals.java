package dev.hikkoshi.watch.signal;

import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.PipelineInput.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns every change stream's status into alert evaluations, firing or resolved each time: {@code stream-lag}
 * at warning and at critical severity (two alerts, so a stream's warning resolves on its own when it gets
 * better), and {@code stream-stopped} (critical) for a stopped or failed stream; a failed reverse stream is
 * {@code reverse-sync} (critical: a rollback could no longer carry every write back). Lag rises when a stream
 * stops applying while its source keeps changing, because it is measured by the heartbeat.
 */
public final class StreamSignals {
    private final StreamProgress streams;
    private final SignalSettings settings;

    public StreamSignals(StreamProgress streams, SignalSettings settings) {
        this.streams = streams;
        this.settings = settings;
    }

    /** One evaluation of every stream, timed {@code now}. */
    public List<Event> evaluate(Instant now) {
        List<Event> out = new ArrayList<>();
        for (StreamStatus s : streams.streams()) {
            if (s.state() == StreamState.CLOSED) {
                continue;
            }
            boolean halted = s.state() == StreamState.STOPPED || s.state() == StreamState.FAILED;
            double lag = s.lagSeconds();
            out.add(event(now, s, "stream-lag", "warning", lag > settings.lagWarning().toMillis() / 1000.0));
            out.add(event(now, s, "stream-lag", "critical", lag > settings.lagCritical().toMillis() / 1000.0));
            out.add(event(now, s, s.reverse() ? "reverse-sync" : "stream-stopped", "critical", halted));
        }
        return out;
    }

    private static Event event(Instant now, StreamStatus s, String check, String severity, boolean firing) {
        Labels labels = Labels.of(Labels.CHECK, check, Labels.SEVERITY, severity, Labels.TENANT, s.id().tenant().value(),
                Labels.SITE, s.id().to().value(), "stream", s.id().toString());
        return new Event(now, labels, firing ? AlertStatus.FIRING : AlertStatus.RESOLVED, 1);
    }
}

package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.stream.StreamStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams running in this process, as {@link StreamProgress} for the watch module and the cutover engine:
 * each call reads every stream's current status. Streams are added when started and stay listed after they
 * end (FAILED, STOPPED or CLOSED) until removed, so a failure stays visible.
 */
public final class StreamRegistry implements StreamProgress {
    private final Map<StreamId, TenantStream> streams = new ConcurrentHashMap<>();

    public void add(TenantStream stream) {
        streams.put(stream.id(), stream);
    }

    public void remove(StreamId id) {
        streams.remove(id);
    }

    public Optional<TenantStream> get(StreamId id) {
        return Optional.ofNullable(streams.get(id));
    }

    @Override
    public List<StreamStatus> streams() {
        return streams.values().stream().map(TenantStream::status)
                .sorted(Comparator.comparing(s -> s.id().toString())).toList();
    }
}

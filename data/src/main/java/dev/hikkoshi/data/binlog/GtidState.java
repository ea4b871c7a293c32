package dev.hikkoshi.data.binlog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position: for each replication domain, the last transaction applied ({@code 0-101-42,1-7-3}),
 * as {@code @@gtid_binlog_pos} and a replica's {@code @slave_connect_state} write it. Sequence numbers grow
 * within a domain, so "already seen" is a comparison per domain.
 */
record GtidState(Map<Long, Gtid> domains) {
    GtidState {
        domains = Collections.unmodifiableMap(new TreeMap<>(domains));
    }

    /** One GTID: domain, the server that wrote it, sequence number. */
    record Gtid(long domain, long server, long sequence) {
        static Gtid parse(String text) {
            String[] parts = text.trim().split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID (domain-server-sequence): " + text);
            }
            try {
                return new Gtid(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MariaDB GTID (domain-server-sequence): " + text, e);
            }
        }

        @Override
        public String toString() {
            return domain + "-" + server + "-" + sequence;
        }
    }

    static GtidState parse(String text) {
        Map<Long, Gtid> domains = new TreeMap<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                Gtid g = Gtid.parse(part);
                domains.put(g.domain(), g);
            }
        }
        return new GtidState(domains);
    }

    /** True when the transaction {@code g} is at or before this position (it was already seen). */
    boolean covers(Gtid g) {
        Gtid mine = domains.get(g.domain());
        return mine != null && mine.sequence() >= g.sequence();
    }

    /** True when every domain's transaction of {@code other} is at or before this position. */
    boolean coversAll(GtidState other) {
        return other.domains.values().stream().allMatch(this::covers);
    }

    /** This position after the transaction {@code g}. */
    GtidState after(Gtid g) {
        if (covers(g)) {
            return this;
        }
        Map<Long, Gtid> next = new TreeMap<>(domains);
        next.put(g.domain(), g);
        return new GtidState(next);
    }

    /** The older of two positions, domain by domain (a domain one of them lacks is lacked: read it from the start). */
    GtidState oldest(GtidState other) {
        Map<Long, Gtid> out = new TreeMap<>();
        domains.forEach((domain, g) -> {
            Gtid o = other.domains.get(domain);
            if (o != null) {
                out.put(domain, o.sequence() < g.sequence() ? o : g);
            }
        });
        return new GtidState(out);
    }

    /** Domains of {@code oldest} (the first binlog's start) this position is behind: their transactions were purged. */
    List<Gtid> behind(GtidState oldest) {
        return oldest.domains.values().stream()
                .filter(o -> o.sequence() > 0 && !covers(new Gtid(o.domain(), o.server(), o.sequence())))
                .toList();
    }

    String text() {
        return domains.values().stream().map(Gtid::toString).collect(Collectors.joining(","));
    }
}

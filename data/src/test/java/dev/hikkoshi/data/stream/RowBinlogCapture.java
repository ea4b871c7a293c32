package dev.hikkoshi.data.stream;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.OwnWriteMarker;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test-only capture: tails the sandbox source's real row binlog for one schema with mysql-binlog-connector-java
 * and hands out each committed transaction's row changes, with column names mapped from the inspected schema,
 * the key, and before/after images. It stands in for C2's BinlogTailer until that lands: it has no
 * preconditions, GTIDs, fan-out, DDL handling nor careful decoding (text is decoded as UTF-8, which the test
 * tables use; other values are passed as the library decodes them). Nothing here is pre-computed: every change
 * comes from the server's binlog.
 */
final class RowBinlogCapture implements ChangeCapture {
    private final String host;
    private final int port;
    private final String jdbcUrl;
    private final Schema schema;
    private final List<BinaryLogClient> clients = new ArrayList<>();

    RowBinlogCapture(String jdbcUrl, Schema schema) {
        this.jdbcUrl = jdbcUrl;
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        String hostPort = rest.substring(0, rest.indexOf('/'));
        this.host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        this.port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        this.schema = schema;
    }

    @Override
    public String mode() {
        return "binlog";
    }

    @Override
    public CapturePosition currentPosition() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new CapturePosition.BinlogFile(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Subscription subscribe(Set<String> tables, CapturePosition from, ChangeSink sink) {
        CapturePosition.BinlogFile start = (CapturePosition.BinlogFile) from;
        Set<String> wanted = new java.util.HashSet<>();
        tables.forEach(t -> wanted.add(t.toLowerCase(Locale.ROOT)));
        BinaryLogClient client = new BinaryLogClient(host, port, "root", "");
        client.setServerId(100_000 + ThreadLocalRandom.current().nextInt(1_000_000));
        client.setBinlogFilename(start.file());
        client.setBinlogPosition(start.position());
        client.setKeepAlive(false);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        client.setEventDeserializer(deserializer);
        Transactions tx = new Transactions(wanted, sink, start.file());
        client.registerEventListener(tx::on);
        try {
            client.connect(10_000);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("connecting the test binlog reader", e);
        }
        synchronized (clients) {
            clients.add(client);
        }
        return () -> disconnect(client);
    }

    private static void disconnect(BinaryLogClient client) {
        try {
            client.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(RowBinlogCapture::disconnect);
            clients.clear();
        }
    }

    /** Groups row events into transactions, ended by XID (or COMMIT for non-transactional tables). */
    private final class Transactions {
        private final Set<String> wanted;
        private final ChangeSink sink;
        private final Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        private final List<RowChange> changes = new ArrayList<>();
        private String file;
        private boolean own;

        Transactions(Set<String> wanted, ChangeSink sink, String file) {
            this.wanted = wanted;
            this.sink = sink;
            this.file = file;
        }

        void on(Event event) {
            EventHeaderV4 header = event.getHeader();
            EventType type = header.getEventType();
            try {
                switch (type) {
                    case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
                    case TABLE_MAP -> {
                        TableMapEventData map = event.getData();
                        tableMaps.put(map.getTableId(), map);
                    }
                    case WRITE_ROWS, EXT_WRITE_ROWS -> {
                        WriteRowsEventData d = event.getData();
                        table(d.getTableId()).ifPresent(t -> d.getRows().forEach(r ->
                                changes.add(change(t, ChangeKind.INSERT, Map.of(), image(t, r, d.getIncludedColumns())))));
                        markOwn(d.getTableId());
                    }
                    case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                        UpdateRowsEventData d = event.getData();
                        table(d.getTableId()).ifPresent(t -> d.getRows().forEach(r -> changes.add(change(t,
                                ChangeKind.UPDATE, image(t, r.getKey(), d.getIncludedColumnsBeforeUpdate()),
                                image(t, r.getValue(), d.getIncludedColumns())))));
                        markOwn(d.getTableId());
                    }
                    case DELETE_ROWS, EXT_DELETE_ROWS -> {
                        DeleteRowsEventData d = event.getData();
                        table(d.getTableId()).ifPresent(t -> d.getRows().forEach(r ->
                                changes.add(change(t, ChangeKind.DELETE, image(t, r, d.getIncludedColumns()), Map.of()))));
                        markOwn(d.getTableId());
                    }
                    case XID -> commit(header);
                    case QUERY -> {
                        String sql = ((QueryEventData) event.getData()).getSql();
                        if (sql.equalsIgnoreCase("COMMIT")) {
                            commit(header);
                        }
                    }
                    default -> {
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sink.stopped(new CaptureStop.Failed("interrupted", e));
            }
        }

        private void markOwn(long tableId) {
            TableMapEventData map = tableMaps.get(tableId);
            if (map != null && OwnWriteMarker.isMarker(map.getDatabase(), map.getTable())) {
                own = true;
            }
        }

        private void commit(EventHeaderV4 header) throws InterruptedException {
            ChangeTransaction t = new ChangeTransaction(new CapturePosition.BinlogFile(file, header.getNextPosition()),
                    Instant.ofEpochMilli(header.getTimestamp()), own, changes);
            changes.clear();
            own = false;
            sink.accept(t);
        }

        private java.util.Optional<Table> table(long tableId) {
            TableMapEventData map = tableMaps.get(tableId);
            if (map == null || !map.getDatabase().equals(schema.name()) || !wanted.contains(map.getTable().toLowerCase(Locale.ROOT))) {
                return java.util.Optional.empty();
            }
            return schema.table(map.getTable());
        }

        private Map<String, Object> image(Table t, Serializable[] row, BitSet included) {
            Map<String, Object> out = new LinkedHashMap<>();
            int v = 0;
            for (int i = 0; i < t.columns().size(); i++) {
                if (!included.get(i)) {
                    continue;
                }
                Column c = t.columns().get(i);
                Object value = row[v++];
                if (value instanceof byte[] b && c.textual()) {
                    value = new String(b, StandardCharsets.UTF_8);
                }
                out.put(c.name().toLowerCase(Locale.ROOT), value);
            }
            return out;
        }

        private RowChange change(Table t, ChangeKind kind, Map<String, Object> before, Map<String, Object> after) {
            Map<String, Object> image = kind == ChangeKind.DELETE ? before : after;
            Map<String, Object> key = new LinkedHashMap<>();
            for (String k : t.rowKey().orElseThrow().columns()) {
                key.put(k.toLowerCase(Locale.ROOT), image.get(k.toLowerCase(Locale.ROOT)));
            }
            return new RowChange(t.name(), kind, key, before, after);
        }
    }

    static long waitMillis(long n) {
        return TimeUnit.MILLISECONDS.toMillis(n);
    }
}

package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The child JVM of {@link CopyCrashIT}: copies every table of a schema from a source to a target URL. With a
 * crash point {@code POINT:N}, the N-th time any worker reaches {@link CopyPoint} POINT it prints
 * {@code CRASH-POINT-REACHED} and blocks, so the test can SIGKILL it exactly there.
 */
public final class CopyChild {
    private CopyChild() {
    }

    public static void main(String[] args) throws Exception {
        String sourceUrl = args[0];
        String targetUrl = args[1];
        String schema = args[2];
        Optional<String> crash = args.length > 3 ? Optional.of(args[3]) : Optional.empty();
        MariaDbDataSource source = new MariaDbDataSource(sourceUrl);
        source.setUser("root");
        MariaDbDataSource target = new MariaDbDataSource(targetUrl);
        target.setUser("root");
        SchemaInspector sourceInspector = new SchemaInspector(source, "source");
        SchemaInspector targetInspector = new SchemaInspector(target, "target");
        Schema sourceSchema = sourceInspector.inspect(schema);
        Schema targetSchema = targetInspector.inspect(schema);
        List<CopyTable> tables = new ArrayList<>();
        for (Table t : sourceSchema.tables()) {
            tables.add(new CopyTable(t, targetSchema.table(t.name()).orElseThrow(), t.rowKey().orElseThrow(), TenantRows.ALL));
        }
        AtomicInteger reached = new AtomicInteger();
        CopyHooks hooks = crash.map(spec -> {
            CopyPoint point = CopyPoint.valueOf(spec.substring(0, spec.indexOf(':')));
            int n = Integer.parseInt(spec.substring(spec.indexOf(':') + 1));
            return (CopyHooks) (p, table) -> {
                if (p == point && reached.incrementAndGet() == n) {
                    System.out.println("CRASH-POINT-REACHED " + p + " " + table);
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
            };
        }).orElse(CopyHooks.NONE);
        // How rows are written: the system property copy.write (a CopyWrite name), AUTO by default.
        CopyWrite write = CopyWrite.valueOf(System.getProperty("copy.write", "AUTO"));
        CopySettings settings = CopySettings.defaults().withParallelism(3).withChunkRows(400, 100, 800).withWrite(write);
        CopyResult result = new CopyJob(new CopyEndpoint(source, schema, sourceInspector.serverInfo(), "source"),
                new CopyEndpoint(target, schema, targetInspector.serverInfo(), "target"), tables, Optional.empty(), "*",
                settings, CharsetOverrides.NONE, hooks).run();
        System.out.println("COPY-DONE " + result.totalRows());
        System.out.flush();
    }
}

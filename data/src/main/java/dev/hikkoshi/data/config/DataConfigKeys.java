package dev.hikkoshi.data.config;

import static dev.hikkoshi.core.config.ConfigCatalog.literal;

import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.data.binlog.BinlogTailer;
import java.util.List;

/**
 * The documented keys {@link DataConfig} binds: every site's {@code database} and the {@code data} section.
 * Rendered into docs/config.md by the app's generator; defaults come from the binder's own constants.
 */
public final class DataConfigKeys {
    private DataConfigKeys() {
    }

    /** {@code sites.NAME.database} and {@code data}, in the reference's order. */
    public static List<ConfigCatalog> catalogs() {
        CopyConfig copy = CopyConfig.defaults();
        return List.of(ConfigCatalog.of("sites.NAME.database", "sites.NAME.database")
                        .intro("The database of a site, read by the data engine. `hikkoshi data` commands copy from"
                                + " the first site with a\ndatabase to the next one, unless `--from SITE --to SITE`"
                                + " say otherwise.")
                        .key("url", "required", "`jdbc:mariadb://HOST[:PORT]/SCHEMA[?key=value&...]` or"
                                + " `jdbc:mysql://...` (port 3306 by default); hikkoshi always connects with MariaDB"
                                + " Connector/J. No user or password in it; password parameters are masked wherever"
                                + " a URL is shown")
                        .key("user", "required", "the user hikkoshi connects as")
                        .key("password-env", "none", "the environment variable holding the password")
                        .key("capture", literal(CaptureMode.BINLOG), "how changes are captured when this site is a"
                                + " source: `binlog`, `triggers` or `differential`")
                        .key("tls", "none", "`{mode, ca-file}`: TLS to the database")
                        .key("tls.mode", "`disable` without `tls`; `verify-full` with it", "`disable`, `trust`"
                                + " (encrypt, no certificate check), `verify-ca`, `verify-full` (also checks the"
                                + " host name)")
                        .key("tls.ca-file", "the JVM's trust store", "a PEM CA certificate, for `verify-ca` and"
                                + " `verify-full` only")
                        .key("charset-overrides", "none", "`{table.column: CHARSET}`: what the bytes of a column"
                                + " really are, e.g. `orders.note: cp932` for Shift_JIS stored in a latin1 column."
                                + " One of " + String.join(", ", DataConfig.OVERRIDE_CHARSETS.stream().sorted().toList()))
                        .key("server-id", String.valueOf(BinlogTailer.DEFAULT_SERVER_ID), "the replication"
                                + " server_id of hikkoshi's binlog tailer on this server (1 to 4294967295); checked"
                                + " at start against the source's own id, its registered replicas and hikkoshi's"
                                + " other tailers (docs/data.md, Binlog capture)")
                        .key("differential.pass-interval", literal(DifferentialPace.defaults().passInterval()),
                                "with `capture: differential`: the longest pause between checksum passes, reached"
                                + " once a tenant has been at rest ten times as long; each pass checksums every row"
                                + " of the tenant on both servers")
                        .key("differential.minimum-pause", literal(DifferentialPace.defaults().minimumPause()),
                                "the pause after a pass while the tenant is changing (at most `pass-interval`)")
                        .build(),
                ConfigCatalog.of("data", "data")
                        .key("mode", literal(ScopeMode.TENANT), "`tenant`: moves copy one tenant's rows;"
                                + " `whole-schema`: every table that is not skipped moves in full")
                        .key("tenant-column", "none", "the tenant column of every table that has a column of this"
                                + " name and no entry in `tables`")
                        .key("tables", "none", "map of table name to its entry; table names are checked against"
                                + " the schemas by `hikkoshi data inspect`")
                        .key("tables.NAME.tenant-column", "", "this table's own tenant column (the tenants table:"
                                + " `id`)")
                        .key("tables.NAME.via", "", "a join path to a table with a tenant column:"
                                + " `\"order_id -> orders.id\"`, hops separated by `, `")
                        .key("tables.NAME.shared.writer", "", "shared reference data, written only on this site")
                        .key("tables.NAME.skip", "`false`", "`true`: out of scope, never touched")
                        .key("tables.NAME.target-triggers", literal(TargetTriggers.REFUSE), "`may-fire`: the"
                                + " target's triggers on this table may fire on hikkoshi's writes (otherwise they are"
                                + " an inspection error)")
                        .key("copy.parallelism", literal(copy.parallelism()), "key ranges copied at once (1 to 64);"
                                + " each takes a connection on both sides")
                        .key("copy.chunk-time", literal(copy.chunkTime()), "the time a chunk should take; its row"
                                + " count adapts to it")
                        .key("copy.max-lock-time", literal(copy.maxLockTime()), "a chunk that held its source share"
                                + " locks longer halves the next one (at least `chunk-time`)")
                        .key("copy.max-rows-per-second", "none", "cap on rows copied per second, all ranges"
                                + " together")
                        .key("copy.pause-above-threads-running", "none", "pause copying while the source's"
                                + " `Threads_running` is above this")
                        .key("copy.write", literal(CopyWrite.AUTO), "how chunks reach the target: `load-data` (LOAD DATA LOCAL fed from"
                                + " memory, about half the target's CPU), `insert` (multi-row INSERTs), or `auto`: LOAD"
                                + " DATA where the target's `local_infile` is on, except into a non-transactional table,"
                                + " and for a tenant's rows of a table whose LOAD DATA would lock it against the"
                                + " application's INSERTs (AUTO_INCREMENT under `innodb_autoinc_lock_mode` 1;"
                                + " docs/data.md)")
                        .notes("A table entry takes at most one of `tenant-column`, `via`, `shared`, `skip`; an entry"
                                + " with only\n`target-triggers` keeps the default tenant column. docs/data.md"
                                + " describes the checks.")
                        .build());
    }
}

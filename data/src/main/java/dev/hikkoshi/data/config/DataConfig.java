package dev.hikkoshi.data.config;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data engine's config: the {@code data} section (scope mode, default tenant column, per-table rules,
 * copy settings) and every site's {@code database}. {@link #bind} records every problem in the document's
 * {@code ConfigProblems}; the caller throws them all at once. Used by the {@code hikkoshi data} commands and
 * the cutover engine.
 */
public record DataConfig(ScopeMode mode, Optional<String> tenantColumn, Map<String, TableConfig> tables,
                         CopyConfig copy, Map<SiteId, DatabaseConfig> databases) {
    /** Keys of {@code data}. */
    static final String[] DATA_KEYS = {"mode", "tenant-column", "tables", "copy"};
    /** Keys of {@code data.tables.NAME}. */
    static final String[] TABLE_KEYS = {"tenant-column", "via", "shared", "skip", "target-triggers"};
    /** Keys of {@code sites.NAME.database}. */
    static final String[] DATABASE_KEYS = {"url", "user", "password-env", "capture", "tls", "charset-overrides",
            "server-id", "differential"};
    /** Charsets a column's bytes may be declared to really be in. */
    public static final Set<String> OVERRIDE_CHARSETS = Set.of("utf8mb4", "utf8", "cp932", "sjis", "ujis", "eucjpms",
            "latin1", "binary");

    private static final Pattern HOP = Pattern.compile("\\s*([^\\s.,>]+?)\\s*->\\s*([^\\s.,>]+)\\.([^\\s.,>]+)\\s*");
    private static final String VIA_EXPECTED = "a join path such as \"order_id -> orders.id\"; several hops separated"
            + " by \", \" as in \"item_id -> order_items.id, order_id -> orders.id\"";

    public DataConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(tenantColumn, "tenantColumn");
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        Objects.requireNonNull(copy, "copy");
        databases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    }

    /** Binds {@code data} and {@code sites.*.database} of a config file whose common sections are {@code common}. */
    public static DataConfig bind(ConfigNode root, CommonConfig common) {
        ConfigNode data = root.get("data");
        data.require("the data section: tenant-column and tables, or mode: whole-schema (docs/config.md)");
        data.allowOnly(DATA_KEYS);
        ScopeMode mode = data.get("mode").choice(ScopeMode.class, ScopeMode.TENANT);
        Optional<String> tenantColumn = data.get("tenant-column").text().filter(s -> !s.isBlank());
        Map<String, TableConfig> tables = new LinkedHashMap<>();
        data.get("tables").entries().forEach((name, node) -> tables.put(name, bindTable(name, node, common)));
        CopyConfig copy = CopyConfig.bind(data.get("copy"));
        Map<SiteId, DatabaseConfig> databases = new LinkedHashMap<>();
        root.get("sites").entries().forEach((name, site) -> {
            ConfigNode db = site.get("database");
            if (db.isPresent() && SiteId.isValid(name)) {
                bindDatabase(SiteId.of(name), db).ifPresent(d -> databases.put(d.site(), d));
            }
        });
        return new DataConfig(mode, tenantColumn, tables, copy, databases);
    }

    /**
     * The entry of a table listed in {@code data.tables}, if any: exact name first, then case-insensitive, as
     * {@code Schema.table} matches (servers with {@code lower_case_table_names} fold names).
     */
    public Optional<TableConfig> table(String name) {
        return Optional.ofNullable(tables.get(name)).or(() -> tables.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst());
    }

    /**
     * The source and target databases of a data command: the sites given, or else the first and the second
     * site (in file order) that have a database.
     */
    public SitePair sites(Optional<SiteId> from, Optional<SiteId> to) {
        List<SiteId> withDatabase = new ArrayList<>(databases.keySet());
        SiteId source = from.orElseGet(() -> withDatabase.isEmpty() ? null : withDatabase.get(0));
        SiteId target = to.orElseGet(() -> withDatabase.stream().filter(s -> !s.equals(source)).findFirst().orElse(null));
        if (source == null || target == null || !databases.containsKey(source) || !databases.containsKey(target)) {
            String missing = source != null && !databases.containsKey(source) ? source.value()
                    : target != null && !databases.containsKey(target) ? target.value() : null;
            throw new UserException(missing != null ? "site " + missing + " has no database in the config"
                    : "the data engine needs two sites with a database; the config has "
                    + (withDatabase.isEmpty() ? "none" : withDatabase.get(0).value() + " only"),
                    "add sites.NAME.database with url, user and password-env for the source and the target site");
        }
        if (source.equals(target)) {
            throw new UserException("the source and the target are both site " + source,
                    "name two different sites with --from and --to");
        }
        return new SitePair(databases.get(source), databases.get(target));
    }

    private static TableConfig bindTable(String name, ConfigNode node, CommonConfig common) {
        if (!node.isMap()) {
            node.problem("a map with one of tenant-column, via, shared: {writer: SITE} or skip: true");
            return new TableConfig(name, Optional.empty(), TargetTriggers.REFUSE);
        }
        node.allowOnly(TABLE_KEYS);
        TargetTriggers triggers = node.get("target-triggers").choice(TargetTriggers.class, TargetTriggers.REFUSE);
        List<TableRule> rules = new ArrayList<>();
        ConfigNode tenantColumn = node.get("tenant-column");
        if (tenantColumn.isPresent()) {
            tenantColumn.requiredText("the name of the table's tenant column")
                    .ifPresent(c -> rules.add(new TableRule.TenantColumn(c)));
        }
        ConfigNode via = node.get("via");
        via.text().ifPresent(text -> parseVia(text).ifPresentOrElse(rules::add, () -> via.problem(VIA_EXPECTED)));
        ConfigNode shared = node.get("shared");
        if (shared.isPresent()) {
            if (!shared.isMap()) {
                shared.problem("{writer: SITE}: the one site where the table is written");
            } else {
                shared.allowOnly("writer");
                ConfigNode writer = shared.get("writer");
                if (writer.require("the one site where the table is written, such as legacy")) {
                    common.site(writer).ifPresent(site -> rules.add(new TableRule.Shared(site)));
                }
            }
        }
        if (node.get("skip").bool(false)) {
            rules.add(new TableRule.Skip());
        }
        long given = java.util.Arrays.stream(new String[] {"tenant-column", "via", "shared", "skip"})
                .filter(k -> node.get(k).isPresent()).count();
        if (given > 1) {
            node.problem("exactly one of tenant-column, via, shared or skip");
            return new TableConfig(name, Optional.empty(), triggers);
        }
        return new TableConfig(name, rules.stream().findFirst(), triggers);
    }

    /** Parses {@code "order_id -> orders.id"} and {@code "item_id -> order_items.id, order_id -> orders.id"}. */
    static Optional<TableRule.Via> parseVia(String text) {
        List<JoinHop> hops = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = HOP.matcher(part);
            if (!m.matches()) {
                return Optional.empty();
            }
            hops.add(new JoinHop(m.group(1), m.group(2), m.group(3)));
        }
        return Optional.of(new TableRule.Via(hops));
    }

    private static Optional<DatabaseConfig> bindDatabase(SiteId site, ConfigNode node) {
        if (!node.isMap()) {
            node.problem("a map with url, user, password-env and capture");
            return Optional.empty();
        }
        node.allowOnly(DATABASE_KEYS);
        ConfigNode urlNode = node.get("url");
        Optional<DatabaseUrl> url = Optional.empty();
        if (urlNode.require("jdbc:mariadb://HOST[:PORT]/SCHEMA or jdbc:mysql://HOST[:PORT]/SCHEMA")) {
            String text = urlNode.text("");
            url = DatabaseUrl.parse(text);
            if (url.isEmpty()) {
                // The text may hold a password parameter: show it masked.
                urlNode.problem(DatabaseUrl.redact(text),
                        "jdbc:mariadb://HOST[:PORT]/SCHEMA or jdbc:mysql://HOST[:PORT]/SCHEMA, no user or password in it");
            }
        }
        Optional<String> user = node.get("user").requiredText("the user hikkoshi connects as, such as migrator");
        Optional<Password> password = node.get("password-env").secretFromEnvironment().map(Password::new);
        CaptureMode capture = node.get("capture").choice(CaptureMode.class, CaptureMode.BINLOG);
        TlsConfig tls = bindTls(node.get("tls"));
        Map<ColumnRef, String> overrides = new LinkedHashMap<>();
        node.get("charset-overrides").entries().forEach((key, value) -> {
            int dot = key.indexOf('.');
            Optional<String> charset = value.text();
            if (dot <= 0 || dot == key.length() - 1 || key.indexOf('.', dot + 1) >= 0) {
                value.problem(key, "a key of the form table.column, such as orders.note");
            } else if (charset.isEmpty() || !OVERRIDE_CHARSETS.contains(charset.get())) {
                value.problem("one of " + String.join(", ", OVERRIDE_CHARSETS.stream().sorted().toList()));
            } else {
                overrides.put(new ColumnRef(key.substring(0, dot), key.substring(dot + 1)), charset.get());
            }
        });
        // server_id is an unsigned 32-bit number; 0 would make the source refuse the binlog dump.
        ConfigNode serverIdNode = node.get("server-id");
        java.util.OptionalLong serverId = serverIdNode.isPresent()
                ? java.util.OptionalLong.of(serverIdNode.integer(1, 1, 4_294_967_295L)) : java.util.OptionalLong.empty();
        DifferentialPace differential = DifferentialPace.bind(node.get("differential"));
        if (url.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseConfig(site, url.get(), user.get(), password, capture, tls, overrides, serverId,
                differential));
    }

    private static TlsConfig bindTls(ConfigNode node) {
        if (!node.isPresent()) {
            return TlsConfig.disabled();
        }
        if (!node.isMap()) {
            node.problem("{mode: disable | trust | verify-ca | verify-full, ca-file: PATH}");
            return TlsConfig.disabled();
        }
        node.allowOnly("mode", "ca-file");
        TlsMode mode = node.get("mode").choice(TlsMode.class, TlsMode.VERIFY_FULL);
        Optional<Path> ca = node.get("ca-file").text().map(Path::of);
        if (ca.isPresent() && (mode == TlsMode.DISABLE || mode == TlsMode.TRUST)) {
            node.get("ca-file").problem("no ca-file with mode " + ConfigNode.spelling(mode)
                    + " (a CA is checked only by verify-ca and verify-full)");
        }
        return new TlsConfig(mode, ca);
    }
}

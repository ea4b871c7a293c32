package dev.hikkoshi.app.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.PlanSection;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.JoinHop;
import dev.hikkoshi.data.config.TableConfig;
import dev.hikkoshi.data.config.TableRule;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.route.Receiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What no single section's binder can check, run by {@link ConfigValidator} after every section is bound:
 * references between sections (the sites and databases the plan and shared tables need, wave tenants in
 * {@code tenants.list}, join paths between {@code data.tables}, the environment the alert receivers accept) and
 * limits that must agree (a rollback-line window in whole traffic buckets). Each check stays silent where a
 * value it reads already has a problem, so one mistake reads as one line. The hold/freeze limit is
 * {@link dev.hikkoshi.cutover.control.HoldMarginCheck}, shared with the controller.
 */
final class CrossSectionChecks {
    /** A table name as MySQL takes it: 1 to 64 characters, no '.', no backtick, no space at either end. */
    private static final Pattern TABLE_NAME = Pattern.compile("[^.`\\s]([^.`]{0,62}[^.`\\s])?");

    private final ConfigNode root;
    private final CommonConfig common;
    private final Optional<DataConfig> data;
    private final Optional<PlanSection> plan;
    private final Optional<AlertsConfig> alerts;
    private final List<String> notes;

    CrossSectionChecks(ConfigNode root, CommonConfig common, Optional<DataConfig> data, Optional<PlanSection> plan,
                       Optional<AlertsConfig> alerts, List<String> notes) {
        this.root = root;
        this.common = common;
        this.data = data;
        this.plan = plan;
        this.alerts = alerts;
        this.notes = notes;
    }

    void run() {
        data.ifPresent(d -> {
            plan.ifPresent(p -> planDatabases(d));
            tables(d);
        });
        plan.ifPresent(p -> {
            waveTenants(p.waves());
            p.rollbackLine().ifPresent(this::windowInBuckets);
        });
        alerts.ifPresent(this::environmentAccepted);
    }

    /** A plan moves tenants from the first site with a database to the second: both must be there. */
    private void planDatabases(DataConfig d) {
        if (hasProblemUnder("sites.")) {
            return;
        }
        if (d.databases().size() < 2) {
            String have = d.databases().isEmpty() ? "no site has a database"
                    : "only " + d.databases().keySet().iterator().next().value() + " has a database";
            root.get("sites").problem(have, "two sites with a database (sites.NAME.database): the plan moves tenants"
                    + " from the first to the second");
        }
    }

    /** Table names shaped as MySQL takes them, join paths ending where a tenant column can be, writers with a database. */
    private void tables(DataConfig d) {
        Map<String, ConfigNode> entries = root.get("data").get("tables").entries();
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            if (!TABLE_NAME.matcher(e.getKey()).matches()) {
                e.getValue().problem(e.getKey(), "a table name of 1 to 64 characters without '.' or '`' (tables are"
                        + " looked up in the site's schema by data inspect)");
            }
        }
        for (TableConfig table : d.tables().values()) {
            ConfigNode node = entries.get(table.table());
            if (table.rule().orElse(null) instanceof TableRule.Via via) {
                JoinHop last = via.hops().get(via.hops().size() - 1);
                d.table(last.referencedTable()).flatMap(TableConfig::rule)
                        .filter(rule -> !(rule instanceof TableRule.TenantColumn))
                        .ifPresent(rule -> node.get("via").problem("a join path ending at a table with a tenant"
                                + " column (" + last.referencedTable() + " is listed in data.tables with "
                                + kind(rule) + ")"));
            }
            if (table.rule().orElse(null) instanceof TableRule.Shared shared && !hasProblemUnder("sites.")
                    && !d.databases().containsKey(shared.writer())) {
                node.get("shared").get("writer").problem("a site with a database, where the table is written: "
                        + names(d.databases().keySet()));
            }
        }
    }

    /** With {@code tenants.list}, every tenant a wave names must be in it; a table is read when the plan is made. */
    private void waveTenants(PlanSettings waves) {
        boolean named = waves.waves().stream().anyMatch(w -> w.tenants() instanceof PlanSettings.Selection.Named);
        if (!named) {
            return;
        }
        if (common.tenants().fromTable().isPresent()) {
            notes.add("tenants named in plan.waves are checked against tenants.from-table when the plan is made"
                    + " (hikkoshi plan reads the table)");
            return;
        }
        if (hasProblemUnder("tenants.")) {
            return;
        }
        Set<TenantId> known = common.tenants().list().stream().map(Tenant::id).collect(Collectors.toSet());
        for (PlanSettings.WaveSpec wave : waves.waves()) {
            if (wave.tenants() instanceof PlanSettings.Selection.Named n) {
                for (int i = 0; i < n.tenants().size(); i++) {
                    if (!known.contains(n.tenants().get(i))) {
                        root.problems().add(n.paths().get(i), n.tenants().get(i).value(),
                                "a tenant of tenants.list");
                    }
                }
            }
        }
    }

    /** A rollback-line window is judged on the routers' traffic buckets, so it must hold whole ones. */
    private void windowInBuckets(RollbackLineConfig line) {
        if (hasProblemAt("router.traffic-bucket")) {
            return;
        }
        ConfigNode bucketNode = root.get("router").get("traffic-bucket");
        Duration bucket = bucketNode.duration(RouterTrafficWindow.DEFAULT_BUCKET, Duration.ofMillis(100));
        if (line.window().toMillis() % bucket.toMillis() != 0) {
            root.get("plan").get("rollback-line").get("window").problem(DurationText.format(line.window()),
                    "a multiple of router.traffic-bucket (" + DurationText.format(bucket) + "): the routers count"
                            + " traffic in whole buckets");
        }
    }

    /** Alerts reach only receivers that accept the file's environment: none would be a silent pipeline. */
    private void environmentAccepted(AlertsConfig config) {
        if (config.receivers().isEmpty() || hasProblemUnder("alerts.receivers")) {
            return;
        }
        if (config.receivers().values().stream().noneMatch(r -> r.accepts(common.environment()))) {
            Set<String> accepted = new TreeSet<>();
            config.receivers().values().stream().map(Receiver::environments).forEach(accepted::addAll);
            root.get("environment").problem(common.environment(), "an environment that an alerts receiver accepts"
                    + " (alerts.receivers[].env: " + (accepted.isEmpty() ? "none" : String.join(", ", accepted))
                    + "), or no alert of this file would reach anyone");
        }
    }

    private boolean hasProblemUnder(String prefix) {
        return root.problems().list().stream().map(ConfigProblem::path).anyMatch(p -> p.startsWith(prefix));
    }

    private boolean hasProblemAt(String path) {
        return root.problems().list().stream().map(ConfigProblem::path).anyMatch(p -> p.equals(path));
    }

    private static String kind(TableRule rule) {
        return rule instanceof TableRule.TenantColumn ? "tenant-column" : rule instanceof TableRule.Via ? "via"
                : rule instanceof TableRule.Shared ? "shared" : "skip";
    }

    private static String names(Set<SiteId> sites) {
        return sites.isEmpty() ? "none" : sites.stream().map(SiteId::value).collect(Collectors.joining(", "));
    }
}

package dev.hikkoshi.app.config;

import dev.hikkoshi.core.config.CommonConfigKeys;
import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.core.config.ConfigKey;
import dev.hikkoshi.cutover.control.PlanConfigKeys;
import dev.hikkoshi.data.config.DataConfigKeys;
import dev.hikkoshi.router.config.RouterConfigKeys;
import dev.hikkoshi.watch.alert.config.AlertsConfigKeys;
import dev.hikkoshi.watch.check.RouterEndpointKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates docs/config.md from the config catalogs every module declares beside its binders, so the reference
 * cannot drift from the code: {@code ConfigReferenceTest} fails when the file differs from {@link #markdown}
 * (and rewrites it on request), and {@code ConfigCatalogDriftTest} fails when a binder reads a key no catalog
 * lists, or a catalog lists a key no binder reads.
 */
public final class ConfigReference {
    /** How to rewrite docs/config.md after a catalog changed; the tests' failure messages print it. */
    public static final String REGENERATE = "mvn -B -q -o -pl app -am test -Dtest=ConfigReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dhikkoshi.config-doc.write=true";

    private static final String HEADER = """
            # Config reference

            Every command takes `-c/--config FILE`, one YAML file, and validates the sections it uses. Problems are
            reported all at once, one line each, as `path: value (expected: ...)`. Unknown keys are problems too.
            `hikkoshi config check -c FILE` validates the whole file: every section, the references between sections
            (sites, tenants, tables, alert receivers) and the limits that must agree; `hikkoshi run` and
            `hikkoshi controller` run the same validation before they start.

            Durations are written `500ms`, `10s`, `1m`, `2h`; sizes `65536`, `64KiB`, `10MiB`, `1GiB`.
            Secrets are never written in the file: `*-env` keys name an environment variable that holds them.
            In key paths, `NAME` stands for a name you choose (a site, a table, a token) and `[]` for each item of
            a list.

            <!-- Generated from the ConfigCatalog records beside each module's binders: do not edit by hand.
                 Change the catalog, then regenerate with:
                 %s -->
            """.formatted(REGENERATE);

    private ConfigReference() {
    }

    /** Every catalog, in the order of the reference. */
    public static List<ConfigCatalog> catalogs() {
        List<ConfigCatalog> all = new ArrayList<>(CommonConfigKeys.catalogs());
        all.addAll(DataConfigKeys.catalogs());
        all.addAll(RouterConfigKeys.catalogs());
        List<ConfigCatalog> plan = PlanConfigKeys.catalogs();
        all.add(plan.get(0));
        all.add(RouterEndpointKeys.catalog());
        all.addAll(plan.subList(1, plan.size()));
        all.addAll(AlertsConfigKeys.catalogs());
        return List.copyOf(all);
    }

    /** docs/config.md as the catalogs say it. */
    public static String markdown() {
        StringBuilder out = new StringBuilder(HEADER);
        for (ConfigCatalog c : catalogs()) {
            out.append('\n').append("## ").append(c.title()).append('\n');
            if (!c.intro().isEmpty()) {
                out.append(c.intro()).append("\n\n");
            }
            out.append("| key | default | meaning |\n|---|---|---|\n");
            for (ConfigKey k : c.keys()) {
                out.append("| `").append(c.shown(k)).append("` | ").append(k.defaultValue()).append(" | ")
                        .append(k.meaning()).append(" |\n");
            }
            if (!c.notes().isEmpty()) {
                out.append('\n').append(c.notes()).append('\n');
            }
        }
        return out.toString();
    }
}

package dev.hikkoshi.data;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A config file for a test's sandbox schema pair: site legacy is the source, site cloud the target. */
public final class SandboxConfig {
    private SandboxConfig() {
    }

    /** The YAML of a config whose {@code data} section (and anything after it) is {@code rest}. */
    public static String yaml(SchemaPair pair, String rest) {
        return yaml(pair, "", rest);
    }

    /** As {@link #yaml(SchemaPair, String)}, with {@code sourceExtra} keys (", key: value") in the source's database. */
    public static String yaml(SchemaPair pair, String sourceExtra, String rest) {
        return "sites:\n"
                + "  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root" + sourceExtra + " } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root } }\n"
                + "tenants: { from-table: { table: tenants, id: id, name: slug } }\n"
                + rest;
    }

    public static DataConfig bind(SchemaPair pair, String rest) {
        return bind(pair, "", rest);
    }

    public static DataConfig bind(SchemaPair pair, String sourceExtra, String rest) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), yaml(pair, sourceExtra, rest), Map.of());
        DataConfig config = DataConfig.bind(doc.root(), CommonConfig.bind(doc.root()));
        doc.throwIfProblems();
        return config;
    }

    public static SitePair sites(DataConfig config) {
        return config.sites(Optional.empty(), Optional.empty());
    }
}

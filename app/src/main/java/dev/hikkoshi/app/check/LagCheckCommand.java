package dev.hikkoshi.app.check;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.stream.CheckpointedStreams;
import dev.hikkoshi.watch.check.CheckResult;
import dev.hikkoshi.watch.check.CheckStatus;
import dev.hikkoshi.watch.check.LagCheck;
import dev.hikkoshi.watch.check.Threshold;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi check lag [TENANT]}: the change streams' lag, read from the checkpoints on both sites'
 * databases (so it runs from any host that reaches them). A database that cannot be reached is CRITICAL; a
 * config or usage mistake is UNKNOWN.
 */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Checks the change streams' lag and that none stopped (from both sites' databases).")
public final class LagCheckCommand implements Callable<Integer>, PluginCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TENANT", description = "only this tenant's streams")
    String tenant;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--warning-lag", paramLabel = "SECONDS", defaultValue = "10",
            description = "lag above which the check warns (default: ${DEFAULT-VALUE})")
    double warningLag;

    @Option(names = "--critical-lag", paramLabel = "SECONDS", defaultValue = "60",
            description = "lag above which the check is critical (default: ${DEFAULT-VALUE})")
    double criticalLag;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String service() {
        return "LAG";
    }

    @Override
    public Integer call() {
        return RouterOptions.print(service(), spec.commandLine().getOut(), this::check);
    }

    private CheckResult check() {
        Threshold threshold = threshold();
        SitePair sites = sites();
        List<SiteDatabase> open = new ArrayList<>();
        try {
            Map<SiteId, DataSource> sources = new LinkedHashMap<>();
            for (DatabaseConfig db : List.of(sites.source(), sites.target())) {
                try {
                    SiteDatabase opened = SiteDatabase.open(db, 1);
                    open.add(opened);
                    sources.put(db.site(), opened.dataSource());
                } catch (UserException e) {
                    return new CheckResult(service(), CheckStatus.CRITICAL, e.getMessage(), List.of());
                }
            }
            java.util.Set<String> schemas = new java.util.HashSet<>(List.of(open.get(0).schema(), open.get(1).schema()));
            List<StreamStatus> streams = new CheckpointedStreams(sources, schemas, sites.source().site(), Clock.systemUTC())
                    .read()
                    .stream().filter(s -> tenant == null || s.id().tenant().value().equals(tenant)).toList();
            return LagCheck.run(streams, threshold);
        } catch (SQLException e) {
            return new CheckResult(service(), CheckStatus.CRITICAL, "reading the stream checkpoints failed: "
                    + SiteDatabase.driverMessage(e), List.of());
        } finally {
            open.forEach(SiteDatabase::close);
        }
    }

    private Threshold threshold() {
        try {
            return new Threshold(Optional.of(warningLag), Optional.of(criticalLag));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), "give --warning-lag at or below --critical-lag");
        }
    }

    private SitePair sites() {
        ConfigDocument doc = ConfigDocument.read(config);
        CommonConfig common = CommonConfig.bind(doc.root());
        DataConfig data = DataConfig.bind(doc.root(), common);
        doc.throwIfProblems();
        return data.sites(Optional.empty(), Optional.empty());
    }
}

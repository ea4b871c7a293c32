package dev.hikkoshi.app.check;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.watch.check.TenantCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hikkoshi check tenant T}: the tenant's placement, 5xx rate and p99 across the routers. */
@Command(name = "tenant", mixinStandardHelpOptions = true,
        description = "Checks one tenant's placement, 5xx rate and p99 latency across the routers.")
public final class TenantCheckCommand implements Callable<Integer>, PluginCommand {
    @Parameters(index = "0", paramLabel = "TENANT", description = "the tenant's name")
    String tenant;

    @CommandLine.Mixin
    RouterOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String service() {
        return "TENANT";
    }

    @Override
    public Integer call() {
        return RouterOptions.print(service(), spec.commandLine().getOut(), () -> {
            if (!TenantId.isValid(tenant)) {
                throw new UserException("not a tenant name: " + tenant,
                        "1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            return TenantCheck.run(options.routers(), tenant, options.options());
        });
    }
}

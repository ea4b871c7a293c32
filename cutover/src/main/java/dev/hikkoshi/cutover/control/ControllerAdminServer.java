package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.router.admin.AdminServer;
import dev.hikkoshi.router.admin.AdminEndpoints;
import dev.hikkoshi.router.admin.AdminSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.List;

/**
 * The controller's admin API on its own listener ({@code controller.admin}): status, the control actions,
 * move events and metrics, each action written to the audit log in the state directory. {@code hikkoshi
 * controller} and {@code hikkoshi run} start one around their controller and make their own in-process
 * calls through {@link #operations()}, so those are audited as well.
 */
public final class ControllerAdminServer implements AutoCloseable {
    private final AuditLog audit;
    private final AuditedOperations operations;
    private final Optional<MoveEventLog> events;
    private final AdminServer server;

    private ControllerAdminServer(AuditLog audit, AuditedOperations operations, Optional<MoveEventLog> events,
                                  AdminServer server) {
        this.audit = audit;
        this.operations = operations;
        this.events = events;
        this.server = server;
    }

    /**
     * Opens the audit log and binds the listener.
     *
     * @param controller the controller being operated
     * @param events     its move events, served at {@code GET /events}; empty to answer that with a refusal
     * @param stateDir   where {@link AuditLog#FILE_NAME} is appended to
     * @param registry   the process's metrics, to which the move gauges are added
     * @throws dev.hikkoshi.core.UserException when the audit log cannot be opened or the address bound
     */
    public static ControllerAdminServer start(AdminSettings settings, ControllerOperations controller,
                                              Optional<MoveEvents> events, Path stateDir,
                                              PrometheusMeterRegistry registry, Clock clock) {
        return start(settings, controller, events, stateDir, registry, clock, audit -> List.of());
    }

    /**
     * As above, with endpoints other modules add (given the audit log, so their actions are audited too), served
     * on the paths the controller's own API does not use.
     */
    public static ControllerAdminServer start(AdminSettings settings, ControllerOperations controller,
                                              Optional<MoveEvents> events, Path stateDir,
                                              PrometheusMeterRegistry registry, Clock clock,
                                              Function<AuditLog, List<AdminEndpoints>> extensions) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(controller, "controller");
        AuditLog audit = AuditLog.open(stateDir);
        Optional<MoveEventLog> eventLog = Optional.empty();
        try {
            AuditedOperations operations = new AuditedOperations(controller, audit, clock);
            eventLog = events.map(MoveEventLog::new);
            ControllerAdminApi api = new ControllerAdminApi(operations, new ControllerMetrics(registry, clock), eventLog,
                    extensions.apply(audit));
            AdminServer server = new AdminServer(settings, "controller", ControllerAdminConfig.DEFAULT_LISTEN, api)
                    .start();
            return new ControllerAdminServer(audit, operations, eventLog, server);
        } catch (RuntimeException e) {
            eventLog.ifPresent(MoveEventLog::close);
            audit.close();
            throw e;
        }
    }

    /** The controller's operations as in-process callers must use them: audited. */
    public ControllerOperations operations() {
        return operations;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** {@code http://host:port} of the listener, as {@link ControllerClient} uses it. */
    public URI url() {
        return server.url();
    }

    public Path auditFile() {
        return audit.file();
    }

    @Override
    public void close() {
        server.close();
        events.ifPresent(MoveEventLog::close);
        audit.close();
    }
}

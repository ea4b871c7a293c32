package dev.hikkoshi.app.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.cutover.control.ControllerAdminConfig;
import dev.hikkoshi.cutover.control.HoldMarginCheck;
import dev.hikkoshi.cutover.control.PlanSection;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import dev.hikkoshi.watch.check.RouterEndpoint;
import dev.hikkoshi.watch.signal.SignalsSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates a whole config file at once: binds every section present with its own binder, then checks what no
 * single section can (references between sections, limits that must agree; {@link CrossSectionChecks}), and
 * throws one {@link dev.hikkoshi.core.config.ConfigException} listing every problem as
 * {@code path: value (expected: ...)}. Used by {@code hikkoshi config check}, {@code run}, {@code controller}
 * and {@code plan} before they start anything: {@link #validate} is the one entry point.
 */
public final class ConfigValidator {
    /** Which process the file is validated for: it decides whose secrets must be set here. */
    public enum Use {
        /**
         * {@code hikkoshi config check}: every section the file has, with every secret (router and controller
         * tokens, database passwords, webhook URLs); absent sections are not asked for.
         */
        FILE,
        /**
         * {@code hikkoshi run} (router and controller in one process): as {@link #FILE}, and the sections it
         * needs ({@code router}, {@code data}, {@code controller}, {@code plan}) must be there.
         */
        RUN,
        /**
         * {@code hikkoshi controller}: {@code data}, {@code controller} and {@code plan} must be there; the
         * {@code router} section belongs to the routers, which validate it where they run, so only its limits
         * that must agree with the plan are checked.
         */
        CONTROLLER,
        /**
         * An operator's command such as {@code hikkoshi plan}: every section the file has except the router's;
         * database passwords are needed (it reads the databases), the controller's and the webhooks' variables
         * only have to be named.
         */
        OPERATOR
    }

    private ConfigValidator() {
    }

    /**
     * Binds and checks the whole file for {@code use}; throws a {@code ConfigException} listing every problem of
     * the document (including any recorded before) if there is one.
     */
    public static ValidConfig validate(ConfigDocument document, Use use) {
        ConfigNode root = document.root();
        CommonConfig common = CommonConfig.bind(root);
        // A controller (run's or its own) needs data, controller and plan; a plan needs the data and a controller.
        boolean engine = use == Use.RUN || use == Use.CONTROLLER || root.get("plan").isPresent();
        boolean routerBound = use == Use.RUN || (use == Use.FILE && root.get("router").isPresent());
        Optional<RouterConfig> router = routerBound ? Optional.ofNullable(RouterConfig.bind(root, common))
                : Optional.empty();
        Optional<DataConfig> data = root.get("data").isPresent() || engine
                ? Optional.of(DataConfig.bind(root, common)) : Optional.empty();
        bindController(root, use, engine);
        Optional<PlanSection> plan = engine ? Optional.of(PlanSection.bind(root)) : Optional.empty();
        plan.ifPresent(p -> HoldMarginCheck.check(root, p.move().freezeMax()));
        Optional<AlertsConfig> alerts = Optional.empty();
        if (root.get("alerts").isPresent()) {
            alerts = Optional.of(AlertsSection.bind(root.get("alerts"), common,
                    use == Use.OPERATOR ? AlertsSection.Secrets.NAMES_ONLY : AlertsSection.Secrets.RESOLVE));
            SignalsSection.bind(root.get("alerts").get("signals"));
        }
        List<String> notes = new ArrayList<>();
        new CrossSectionChecks(root, common, data, plan, alerts, notes).run();
        document.throwIfProblems();
        return new ValidConfig(common, router, data, plan, alerts, notes);
    }

    /**
     * {@code controller}: its admin API (with the secrets unless an operator validates) wherever a controller
     * will run, and the routers it drives when they are listed.
     */
    private static void bindController(ConfigNode root, Use use, boolean engine) {
        ConfigNode controller = root.get("controller");
        controller.allowOnly("admin", "routers");
        if (controller.isPresent() || engine) {
            ConfigNode admin = controller.get("admin");
            if (use == Use.OPERATOR) {
                ControllerAdminConfig.bind(admin);
            } else {
                ControllerAdminConfig.settings(admin);
            }
        }
        ConfigNode routers = controller.get("routers");
        if (routers.isPresent()) {
            routers.items().forEach(r -> r.allowOnly("admin", "token-env"));
            if (use != Use.OPERATOR) {
                RouterEndpoint.fromConfig(root);
            }
        }
    }
}

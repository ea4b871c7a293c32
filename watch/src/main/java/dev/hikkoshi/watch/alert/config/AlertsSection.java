package dev.hikkoshi.watch.alert.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.Matcher;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.flap.FlapSettings;
import dev.hikkoshi.watch.alert.inhibit.InhibitRule;
import dev.hikkoshi.watch.alert.route.Receiver;
import dev.hikkoshi.watch.alert.route.Route;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the {@code alerts} section into an {@link AlertsConfig}, recording every problem as
 * {@code path: value (expected: ...)}. Webhook URLs come from environment variables; {@link Secrets#NAMES_ONLY}
 * (used by {@code alerts replay}, which sends nothing) checks that the variables are named but not that they are set.
 */
public final class AlertsSection {
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    public static final int DEFAULT_BUDGET = 10;

    /** Whether receivers' webhook secrets must be resolvable now. */
    public enum Secrets {
        RESOLVE,
        NAMES_ONLY
    }

    private AlertsSection() {
    }

    public static AlertsConfig bind(ConfigNode node, CommonConfig common, Secrets secrets) {
        node.allowOnly("receivers", "routes", "inhibit", "flapping", "silences-file", "signals");
        Map<String, Receiver> receivers = new LinkedHashMap<>();
        for (ConfigNode r : node.get("receivers").items()) {
            receiver(r, secrets).ifPresent(x -> {
                if (receivers.putIfAbsent(x.name(), x) != null) {
                    r.get("name").problem("a receiver name not used by another receiver");
                }
            });
        }
        List<Route> routes = new ArrayList<>();
        ConfigNode routesNode = node.get("routes");
        if (node.isPresent() && routesNode.require("a list of routes such as [{match: [check=http-5xx], receiver: ops}]")) {
            for (ConfigNode r : routesNode.items()) {
                route(r, receivers).ifPresent(routes::add);
            }
        }
        List<InhibitRule> rules = new ArrayList<>();
        for (ConfigNode r : node.get("inhibit").items()) {
            r.allowOnly("source", "target", "equal");
            List<Matcher> source = matchers(r.get("source"), true);
            List<Matcher> target = matchers(r.get("target"), true);
            List<String> equal = labelNames(r.get("equal"));
            rules.add(new InhibitRule(source, target, equal));
        }
        FlapSettings flapping = flapping(node.get("flapping"));
        Path stateDir = common.stateDir();
        Path silences = node.get("silences-file").text().map(Path::of).orElse(SilenceStore.fileIn(stateDir));
        return new AlertsConfig(common.environment(), receivers, routes, rules, flapping, silences,
                AuditLog.fileIn(stateDir));
    }

    private static Optional<Receiver> receiver(ConfigNode r, Secrets secrets) {
        r.allowOnly("name", "slack-webhook-env", "webhook-url-env", "env", "budget-per-minute");
        Optional<String> name = r.get("name").requiredText("a receiver name such as ops");
        Optional<URI> slack = webhook(r.get("slack-webhook-env"), secrets);
        Optional<URI> webhook = webhook(r.get("webhook-url-env"), secrets);
        if (!r.get("slack-webhook-env").isPresent() && !r.get("webhook-url-env").isPresent()) {
            r.problem(r.display(), "a receiver with slack-webhook-env or webhook-url-env (or both)");
        }
        Set<String> env = new LinkedHashSet<>();
        ConfigNode envNode = r.get("env");
        // No env list is legal and accepts nothing (fail closed); the audit log says why such a receiver is silent.
        for (ConfigNode e : envNode.items()) {
            e.requiredText("an environment name such as production").ifPresent(env::add);
        }
        int budget = (int) r.get("budget-per-minute").integer(DEFAULT_BUDGET, 1, 1000);
        return name.map(n -> new Receiver(n, env, slack, webhook, budget));
    }

    private static Optional<URI> webhook(ConfigNode node, Secrets secrets) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        if (secrets == Secrets.NAMES_ONLY) {
            node.requiredText("the name of the environment variable that holds the webhook URL");
            return Optional.empty();
        }
        Optional<String> url = node.secretFromEnvironment();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.get().trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below; the URL itself is a secret and is not shown
        }
        node.problem(node.text("") + " (its value)", "an http(s) URL such as https://hooks.slack.com/services/...");
        return Optional.empty();
    }

    private static Optional<Route> route(ConfigNode r, Map<String, Receiver> receivers) {
        r.allowOnly("match", "receiver", "group-by", "group-wait", "group-interval", "repeat-interval");
        List<Matcher> match = matchers(r.get("match"), false);
        Optional<String> receiver = r.get("receiver").requiredText("the name of a receiver");
        if (receiver.isPresent() && !receivers.containsKey(receiver.get())) {
            r.get("receiver").problem("one of the receivers: " + String.join(", ", receivers.keySet()));
            receiver = Optional.empty();
        }
        List<String> groupBy = labelNames(r.get("group-by"));
        Duration wait = r.get("group-wait").duration(DEFAULT_GROUP_WAIT, Duration.ZERO);
        Duration interval = r.get("group-interval").duration(DEFAULT_GROUP_INTERVAL, Duration.ofSeconds(1));
        Duration repeat = r.get("repeat-interval").duration(DEFAULT_REPEAT_INTERVAL, Duration.ofSeconds(1));
        if (repeat.compareTo(interval) < 0) {
            r.get("repeat-interval").problem(DurationText.FORMAT + ", at least the group-interval ("
                    + DurationText.format(interval) + "): repeats are only sent when the group's timer fires");
            repeat = interval;
        }
        Duration repeatInterval = repeat;
        return receiver.map(x -> new Route(match, x, groupBy, wait, interval, repeatInterval));
    }

    private static List<Matcher> matchers(ConfigNode node, boolean required) {
        List<Matcher> out = new ArrayList<>();
        if (required) {
            node.require("a list of label conditions such as [check=site-down]");
        }
        for (ConfigNode m : node.items()) {
            m.text().ifPresent(t -> Matcher.parse(t).ifPresentOrElse(out::add, () -> m.problem(Matcher.SYNTAX)));
        }
        return out;
    }

    private static List<String> labelNames(ConfigNode node) {
        List<String> out = new ArrayList<>();
        for (ConfigNode n : node.items()) {
            n.text().ifPresent(t -> {
                if (Labels.NAME.matcher(t).matches()) {
                    out.add(t);
                } else {
                    n.problem("a label name such as check, site or tenant");
                }
            });
        }
        return out;
    }

    private static FlapSettings flapping(ConfigNode node) {
        if (!node.isPresent()) {
            return FlapSettings.NONE;
        }
        node.allowOnly("fire", "of", "clear-after");
        int of = (int) node.get("of").integer(1, 1, 64);
        int fire = (int) node.get("fire").integer(1, 1, 64);
        int clear = (int) node.get("clear-after").integer(1, 1, 1000);
        if (fire > of) {
            node.get("fire").problem("at most 'of' (" + of + "): fire after N of the last M evaluations");
            fire = of;
        }
        return new FlapSettings(fire, of, clear);
    }
}

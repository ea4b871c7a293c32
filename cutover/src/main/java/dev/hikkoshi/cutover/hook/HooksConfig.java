package dev.hikkoshi.cutover.hook;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-move hooks ({@code plan.hooks}): for each {@link HookPoint}, a command and how long it may run.
 * Bound by the plan's config binder with {@link #bind}; run by {@link HookRunner}.
 * <pre>{@code
 * plan:
 *   hooks:
 *     before-freeze: { command: "systemctl stop shop-worker@$HIKKOSHI_TENANT", timeout: 30s }
 *     after-switch:  { command: [/opt/shop/bin/flush-cache, --all], timeout: 10s }
 * }</pre>
 */
public record HooksConfig(Map<HookPoint, HookCommand> hooks) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final HooksConfig NONE = new HooksConfig(Map.of());

    public HooksConfig {
        hooks = hooks.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(hooks));
    }

    /**
     * One hook's command: a text runs through {@code /bin/sh -c} (so that it may use the environment variables
     * and pipes), a list runs as given (no shell).
     */
    public record HookCommand(List<String> argv, String display, Duration timeout) {
        public HookCommand {
            argv = List.copyOf(argv);
            Objects.requireNonNull(display, "display");
            Objects.requireNonNull(timeout, "timeout");
            if (argv.isEmpty() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a hook needs a command and a positive timeout");
            }
        }

        /** A command line run by {@code /bin/sh -c}. */
        public static HookCommand shell(String command, Duration timeout) {
            return new HookCommand(List.of("/bin/sh", "-c", command), command, timeout);
        }
    }

    public Optional<HookCommand> get(HookPoint point) {
        return Optional.ofNullable(hooks.get(point));
    }

    /** Binds {@code plan.hooks} (absent means no hooks), recording every problem in the node's problem list. */
    public static HooksConfig bind(ConfigNode node) {
        if (!node.isPresent()) {
            return NONE;
        }
        String[] names = Arrays.stream(HookPoint.values()).map(HookPoint::spelling).toArray(String[]::new);
        node.allowOnly(names);
        if (!node.isMap()) {
            node.problem("a map of hooks (" + String.join(", ", names) + ") to { command, timeout }");
            return NONE;
        }
        Map<HookPoint, HookCommand> hooks = new EnumMap<>(HookPoint.class);
        for (HookPoint point : HookPoint.values()) {
            ConfigNode hook = node.get(point.spelling());
            if (hook.isPresent()) {
                bindOne(hook).ifPresent(c -> hooks.put(point, c));
            }
        }
        return new HooksConfig(hooks);
    }

    private static Optional<HookCommand> bindOne(ConfigNode hook) {
        String expected = "a command (text for /bin/sh -c, or a list of program and arguments)";
        if (!hook.isMap()) {
            hook.problem("a map such as { command: \"/opt/shop/bin/stop-workers\", timeout: 30s }");
            return Optional.empty();
        }
        hook.allowOnly("command", "timeout");
        Duration timeout = hook.get("timeout").duration(DEFAULT_TIMEOUT, Duration.ofMillis(100));
        ConfigNode command = hook.get("command");
        if (command.isList()) {
            List<String> argv = new ArrayList<>();
            for (ConfigNode item : command.items()) {
                item.requiredText("a program or an argument").ifPresent(argv::add);
            }
            if (argv.isEmpty()) {
                command.problem(expected);
                return Optional.empty();
            }
            return Optional.of(new HookCommand(argv, String.join(" ", argv), timeout));
        }
        return command.requiredText(expected).map(text -> HookCommand.shell(text, timeout));
    }
}

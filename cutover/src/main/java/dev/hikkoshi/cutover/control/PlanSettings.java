package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.plan.Gate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code plan.parallel-moves} and {@code plan.waves}: how many moves run at once within a wave, which tenants
 * each wave moves, and each wave's gate ({@code gate: auto|approval}). Bound by the controller (the lead's {@code plan:} section binder calls {@link #bind}) and
 * resolved against the tenant directory into concrete {@link Wave}s.
 *
 * <p>A wave's {@code tenants} is a list of names, {@code "N%"} or {@code "*"}. Resolution is deterministic:
 * tenants named explicitly in any wave are set aside first; then, wave by wave, {@code "N%"} takes
 * ceil(N × remaining / 100) of the tenants not yet placed (in the directory's order, by name), so that a
 * percentage of a non-empty remainder never rounds down to an empty wave ("50%" of 7 is 4), and {@code "*"}
 * takes all that remain.
 */
public record PlanSettings(int parallelMoves, List<WaveSpec> waves) {
    public PlanSettings {
        waves = List.copyOf(waves);
        if (parallelMoves < 1) {
            throw new IllegalArgumentException("parallel moves must be at least 1: " + parallelMoves);
        }
    }

    /**
     * One configured wave: its name, tenant selection and gate ({@code gate: auto|approval}, default auto: when
     * this wave starts), with the config path used in problems.
     */
    public record WaveSpec(String name, Selection tenants, Gate gate, String path) {
        public WaveSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tenants, "tenants");
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(path, "path");
        }

        /** A wave with the default gate, {@link Gate#AUTO}. */
        public WaveSpec(String name, Selection tenants, String path) {
            this(name, tenants, Gate.AUTO, path);
        }
    }

    /** How a wave picks its tenants. */
    public sealed interface Selection {
        /** These tenants, in this order; {@code paths} are their config paths, for problems. */
        record Named(List<TenantId> tenants, List<String> paths) implements Selection {
            public Named {
                tenants = List.copyOf(tenants);
                paths = List.copyOf(paths);
            }
        }

        /** {@code percent} percent of the tenants not yet placed, rounded up. */
        record Percent(int percent) implements Selection {
        }

        /** Every tenant not yet placed. */
        record Rest() implements Selection {
        }
    }

    /** A resolved wave: its name, its tenants in the order their moves start, and its gate. */
    public record Wave(String name, List<TenantId> tenants, Gate gate) {
        public Wave {
            Objects.requireNonNull(name, "name");
            tenants = List.copyOf(tenants);
            Objects.requireNonNull(gate, "gate");
        }

        /** A wave with the default gate, {@link Gate#AUTO}. */
        public Wave(String name, List<TenantId> tenants) {
            this(name, tenants, Gate.AUTO);
        }
    }

    private static final String TENANTS_EXPECTED = "a list of tenant names, \"N%\" (1 to 100) or \"*\"";

    /**
     * Binds {@code parallel-moves} (default 1) and {@code waves} (required) of the {@code plan} node, recording
     * problems as {@code path: value (expected: ...)} in the node's problems. Other keys of {@code plan} belong to
     * other binders.
     */
    public static PlanSettings bind(ConfigNode plan) {
        int parallel = (int) plan.get("parallel-moves").integer(1, 1, 64);
        List<WaveSpec> waves = new ArrayList<>();
        ConfigNode wavesNode = plan.get("waves");
        if (!wavesNode.require("a list of waves such as [{name: pilot, tenants: [acme]}, {name: rest, tenants: \"*\"}]")) {
            return new PlanSettings(parallel, waves);
        }
        Set<String> names = new HashSet<>();
        Set<TenantId> named = new HashSet<>();
        boolean afterRest = false;
        List<ConfigNode> items = wavesNode.items();
        for (ConfigNode item : items) {
            if (!item.isMap()) {
                item.problem("a wave such as {name: pilot, tenants: [acme]}");
                continue;
            }
            item.allowOnly("name", "tenants", "gate");
            ConfigNode nameNode = item.get("name");
            Optional<String> name = nameNode.requiredText("a wave name such as pilot");
            if (name.isPresent() && !names.add(name.get())) {
                nameNode.problem("a name not used by another wave");
            }
            if (afterRest) {
                item.problem("no wave after a wave of \"*\", which takes every remaining tenant");
            }
            Optional<Selection> selection = selection(item.get("tenants"), named);
            if (selection.isPresent() && selection.get() instanceof Selection.Rest) {
                afterRest = true;
            }
            Gate gate = item.get("gate").choice(Gate.class, Gate.AUTO);
            if (name.isPresent() && selection.isPresent()) {
                waves.add(new WaveSpec(name.get(), selection.get(), gate, item.path()));
            }
        }
        if (wavesNode.isList() && items.isEmpty()) {
            wavesNode.problem("at least one wave");
        }
        return new PlanSettings(parallel, waves);
    }

    private static Optional<Selection> selection(ConfigNode node, Set<TenantId> named) {
        if (!node.require(TENANTS_EXPECTED)) {
            return Optional.empty();
        }
        if (node.isList()) {
            List<TenantId> tenants = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (ConfigNode t : node.items()) {
                Optional<String> text = t.text();
                if (text.isEmpty() || !TenantId.isValid(text.get())) {
                    t.problem("a tenant name (1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit)");
                } else if (!named.add(TenantId.of(text.get()))) {
                    t.problem("a tenant not named by another wave");
                } else {
                    tenants.add(TenantId.of(text.get()));
                    paths.add(t.path());
                }
            }
            if (node.items().isEmpty()) {
                node.problem(TENANTS_EXPECTED);
            }
            return Optional.of(new Selection.Named(tenants, paths));
        }
        String text = node.text().orElse("");
        if (text.equals("*")) {
            return Optional.of(new Selection.Rest());
        }
        if (text.matches("\\d{1,3}%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1));
            if (percent >= 1 && percent <= 100) {
                return Optional.of(new Selection.Percent(percent));
            }
        }
        node.problem(TENANTS_EXPECTED);
        return Optional.empty();
    }

    /**
     * The waves with their tenants, from {@code directory}'s tenants (in its order). A named tenant the
     * directory does not know is a config problem of {@code configFile}: throws a {@link ConfigException}
     * listing every such name.
     */
    public List<Wave> resolve(TenantDirectory directory, Path configFile) {
        Set<TenantId> known = new HashSet<>();
        List<TenantId> remaining = new ArrayList<>();
        for (Tenant t : directory.all()) {
            known.add(t.id());
            remaining.add(t.id());
        }
        List<ConfigProblem> problems = new ArrayList<>();
        Set<TenantId> reserved = new LinkedHashSet<>();
        for (WaveSpec wave : waves) {
            if (wave.tenants() instanceof Selection.Named n) {
                for (int i = 0; i < n.tenants().size(); i++) {
                    if (!known.contains(n.tenants().get(i))) {
                        problems.add(new ConfigProblem(n.paths().get(i), n.tenants().get(i).value(),
                                "a tenant of the tenant directory (tenants.list or tenants.from-table)"));
                    }
                    reserved.add(n.tenants().get(i));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(configFile, problems);
        }
        remaining.removeAll(reserved);
        List<Wave> out = new ArrayList<>();
        for (WaveSpec wave : waves) {
            List<TenantId> tenants;
            if (wave.tenants() instanceof Selection.Named n) {
                tenants = n.tenants();
            } else if (wave.tenants() instanceof Selection.Percent p) {
                int count = (int) ((p.percent() * (long) remaining.size() + 99) / 100);
                tenants = List.copyOf(remaining.subList(0, count));
            } else {
                tenants = List.copyOf(remaining);
            }
            remaining.removeAll(tenants);
            out.add(new Wave(wave.name(), tenants, wave.gate()));
        }
        return out;
    }
}

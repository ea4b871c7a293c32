package dev.hikkoshi.cutover.plan;

import java.util.List;
import java.util.Objects;

/** A wave of a {@link Plan}: its name, its gate and its moves in the order they start. Read by {@code apply}. */
public record PlannedWave(String name, Gate gate, List<PlannedMove> moves) {
    public PlannedWave {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gate, "gate");
        moves = List.copyOf(moves);
    }
}

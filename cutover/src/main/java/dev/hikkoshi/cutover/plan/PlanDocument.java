package dev.hikkoshi.cutover.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@link Plan} as the JSON document the controller's admin API carries ({@code POST /apply {"plan": ...}}):
 * the same JSON as the plan file, checked the same way (a document whose id does not match its content is
 * refused). Used by {@code ControllerClient} to send a plan and by the admin API to read it.
 */
public final class PlanDocument {
    private PlanDocument() {
    }

    public static JsonNode toJson(Plan plan) {
        return PlanJson.toJson(plan);
    }

    /** The plan in {@code node}; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static Plan fromJson(JsonNode node) {
        Plan plan;
        try {
            plan = PlanJson.fromJson(node);
        } catch (PlanJson.BadPlanException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!PlanJson.contentId(plan).equals(plan.id())) {
            throw new IllegalArgumentException("the plan's id does not match its content (changed after hikkoshi "
                    + "plan wrote it)");
        }
        return plan;
    }
}

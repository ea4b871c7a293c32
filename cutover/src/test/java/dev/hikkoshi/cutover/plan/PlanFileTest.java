package dev.hikkoshi.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writeThenRead_givesTheSamePlan_withItsContentId_andLeavesNoTemporaryFile() throws Exception {
        Plan plan = PlanSamples.plan();
        Path file = dir.resolve("plan.json");
        PlanFile.write(file, plan);
        assertThat(PlanFile.read(file)).isEqualTo(plan);
        assertThat(plan.id()).hasSize(64).isEqualTo(PlanJson.contentId(plan));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        JsonNode n = JSON.readTree(file.toFile());
        assertThat(n.get("format").asInt()).isEqualTo(1);
        assertThat(n.get("waves").get(0).get("gate").asText()).isEqualTo("approval");
        assertThat(n.get("waves").get(0).get("moves").get(0).get("freezeEstimateMillis").asLong()).isEqualTo(2700);
        assertThat(n.get("fingerprint").get("placements").get("shop-003").asText()).isEqualTo("cloud");
        assertThat(n.get("fingerprint").get("schemas").get("legacy").get("orders").get("digest").asText())
                .isEqualTo(PlanSamples.orders().digest());
    }

    @Test
    void aDifferentPlan_hasADifferentId() {
        Plan plan = PlanSamples.plan();
        Plan other = Plan.of(plan.created().plusSeconds(1), plan.from(), plan.to(), plan.freezeMax(), plan.waves(),
                plan.skipped(), plan.refused(), plan.preflight(), plan.throughput(), plan.fingerprint());
        assertThat(other.id()).isNotEqualTo(plan.id());
    }

    @Test
    void aTruncatedFile_isRefusedWithTheFileNamedAndTheHint() throws Exception {
        Path file = dir.resolve("plan.json");
        PlanFile.write(file, PlanSamples.plan());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> PlanFile.read(file)).isInstanceOf(UserException.class)
                .hasMessage("plan file " + file + " is not a hikkoshi plan: invalid or truncated JSON at line 3,"
                        + " column 23")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("make a new one with hikkoshi plan -c FILE -o PLAN");
    }

    @Test
    void aForeignFile_anEmptyOne_aMissingOne_andANewerFormat_areEachNamed() throws Exception {
        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"hello\": \"world\"}");
        assertThatThrownBy(() -> PlanFile.read(foreign))
                .hasMessage("plan file " + foreign + " is not a hikkoshi plan: field format is missing");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> PlanFile.read(empty)).hasMessage("plan file " + empty + " is empty");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> PlanFile.read(missing)).hasMessage("plan file " + missing + " does not exist");
        Path newer = dir.resolve("newer.json");
        ObjectNode n = PlanJson.toJson(PlanSamples.plan());
        n.put("format", 2);
        Files.writeString(newer, JSON.writeValueAsString(n));
        assertThatThrownBy(() -> PlanFile.read(newer))
                .hasMessage("plan file " + newer + " is not a hikkoshi plan: format 2 (this hikkoshi reads format 1)");
    }

    @Test
    void aHandEditedPlan_isRefused() throws Exception {
        Path file = dir.resolve("plan.json");
        ObjectNode n = PlanJson.toJson(PlanSamples.plan());
        ((ObjectNode) n.get("waves").get(1).get("moves").get(0)).put("rows", 4);
        Files.writeString(file, JSON.writeValueAsString(n));
        assertThatThrownBy(() -> PlanFile.read(file)).isInstanceOf(UserException.class).hasMessage("plan file " + file
                + " was changed after hikkoshi plan wrote it (its id does not match its content)");
    }

    @Test
    void aBadValue_namesTheField() throws Exception {
        Path file = dir.resolve("plan.json");
        ObjectNode n = PlanJson.toJson(PlanSamples.plan());
        ((ObjectNode) n.get("waves").get(0)).put("gate", "sometimes");
        Files.writeString(file, JSON.writeValueAsString(n));
        assertThatThrownBy(() -> PlanFile.read(file))
                .hasMessage("plan file " + file + " is not a hikkoshi plan: field gate has a bad value: sometimes");
    }

    @Test
    void aDirectoryThatDoesNotExist_isAUserErrorOnWrite() {
        Path file = dir.resolve("no/such/dir/plan.json");
        assertThatThrownBy(() -> PlanFile.write(file, PlanSamples.plan())).isInstanceOf(UserException.class)
                .hasMessage("cannot write plan file " + file + ": directory " + file.getParent() + " does not exist");
    }
}

package dev.peak.b.internal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.peak.b.TestKeys;
import dev.peak.common.work.WorkFunction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The mesh variant: {@code peak.b.internal.enabled=true} opens {@code /internal/work} to A. */
@QuarkusTest
@WithTestResource(TestKeys.class)
@TestProfile(InternalWorkEnabledTest.MeshVariant.class)
class InternalWorkEnabledTest {

    public static class MeshVariant implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("peak.b.internal.enabled", "true");
        }
    }

    @Test
    void internalWorkDoesTheRequestedWork() {
        given().queryParam("cost", 7).queryParam("seed", "from-a").when().get("/internal/work")
                .then().statusCode(200)
                .contentType("application/json")
                .body("service", equalTo("b"))
                .body("instance", equalTo(TestKeys.INSTANCE_ID))
                .body("subject", nullValue())
                .body("cost", equalTo(7))
                .body("result", equalTo(WorkFunction.run("from-a".getBytes(StandardCharsets.UTF_8), 7)));
    }

    @Test
    void internalWorkWithoutParametersHashesTheDefaultSeedZeroTimes() {
        given().when().get("/internal/work")
                .then().statusCode(200)
                .body("cost", equalTo(0))
                .body("result", equalTo(WorkFunction.run(WorkFunction.DEFAULT_SEED.getBytes(StandardCharsets.UTF_8), 0)));
    }

    @ParameterizedTest(name = "cost={0}")
    @ValueSource(strings = {"-1", "100001", "abc", "1.5", "99999999999"})
    void internalWorkRejectsInvalidCost(String cost) {
        given().queryParam("cost", cost).when().get("/internal/work")
                .then().statusCode(400)
                .contentType("application/json")
                .body("error", equalTo("invalid_cost"))
                .body("message", containsString("cost"));
    }

    @Test
    void internalWorkRejectsOverlongSeed() {
        given().queryParam("seed", "s".repeat(WorkFunction.MAX_SEED_LENGTH + 1)).when().get("/internal/work")
                .then().statusCode(400)
                .contentType("application/json")
                .body("error", equalTo("invalid_seed"));
    }
}

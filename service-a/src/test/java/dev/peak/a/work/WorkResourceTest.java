package dev.peak.a.work;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.a.WithServiceB;
import dev.peak.common.work.WorkFunction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(WithServiceB.class)
class WorkResourceTest {

    @Test
    void workAnswersServiceInstanceCostAndResult() {
        given().queryParam("cost", 10).get("/work").then()
                .statusCode(200)
                .contentType("application/json")
                .body("service", equalTo("a"))
                .body("instance", equalTo("a-test"))
                .body("cost", equalTo(10))
                .body("result", equalTo(WorkFunction.run("peak".getBytes(StandardCharsets.UTF_8), 10)));
    }

    @Test
    void workWithoutCostDoesNoHashing() {
        given().get("/work").then().statusCode(200).body("cost", equalTo(0))
                .body("result", equalTo(WorkFunction.run("peak".getBytes(StandardCharsets.UTF_8), 0)));
    }

    @Test
    void workHashesTheGivenSeed() {
        given().queryParam("cost", 3).queryParam("seed", "abc").get("/work").then().statusCode(200)
                .body("result", equalTo(WorkFunction.run("abc".getBytes(StandardCharsets.UTF_8), 3)));
    }

    @Test
    void workAcceptsTheMaximumCost() {
        given().queryParam("cost", WorkFunction.MAX_COST).get("/work").then().statusCode(200)
                .body("cost", equalTo(WorkFunction.MAX_COST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "100001", "abc", "1e9", "99999999999999999999", "2.5"})
    void workRejectsBadCostWithJsonError(String cost) {
        given().queryParam("cost", cost).get("/work").then()
                .statusCode(400)
                .contentType("application/json")
                .body("error", equalTo("invalid_cost"))
                .body("message", containsString("cost"));
    }

    @Test
    void workRejectsOversizedSeed() {
        given().queryParam("seed", "x".repeat(WorkFunction.MAX_SEED_LENGTH + 1)).get("/work").then()
                .statusCode(400).body("error", equalTo("invalid_seed"));
    }

    @Test
    void unknownPathAnswersJsonNotFound() {
        given().get("/no/such/thing").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("not_found"));
    }

    @Test
    void wrongMethodAnswersJsonError() {
        given().post("/work").then().statusCode(405).contentType("application/json")
                .body("error", equalTo("method_not_allowed"))
                .body("message", not(containsString("Exception")));
    }
}

package dev.peak.b.internal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.peak.b.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code /internal/work} carries no token, so outside the mesh variant it must not exist at all
 * (docs/architecture.md: service-b): the default configuration answers 404 with the JSON error contract.
 */
@QuarkusTest
@WithTestResource(TestKeys.class)
class InternalWorkResourceTest {

    @Test
    void internalWorkIsNotFoundUnlessEnabled() {
        given().queryParam("cost", 1).when().get("/internal/work")
                .then().statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("not_found"));
    }

    @Test
    void internalWorkStaysHiddenEvenForBadInput() {
        // Disabled means absent: validation must not reveal that the endpoint exists.
        given().queryParam("cost", "abc").when().get("/internal/work")
                .then().statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("not_found"));
    }
}

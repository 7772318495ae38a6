package dev.peak.a.chain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Whatever goes wrong behind A, the client of /chain gets a 502 JSON error in bounded time. */
@QuarkusTest
@TestProfile(ChainFailureTest.Faulty.class)
class ChainFailureTest {

    public static class Faulty implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FaultyServiceB.class));
        }
    }

    @ParameterizedTest(name = "B {0} -> 502 {1}")
    @CsvSource({
        "error, upstream_failed, answered 500",
        "html, upstream_failed, other than JSON",
        "hang, upstream_unreachable, did not answer",
        "reset, upstream_unreachable, did not answer"})
    void chainAnswers502WhenServiceBFails(String failure, String code, String message) {
        given().queryParam("seed", failure).get("/chain").then()
                .time(lessThan(2_500L))
                .statusCode(502)
                .contentType("application/json")
                .body("error", equalTo(code))
                .body("message", containsString(message));
    }
}

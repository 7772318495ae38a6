package dev.peak.b.work;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.b.TestKeys;
import dev.peak.b.Tokens;
import dev.peak.common.work.WorkFunction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * {@code GET /work}: B does the work a valid token authorises, for the token's subject (docs/architecture.md:
 * service-b).
 */
@QuarkusTest
@WithTestResource(TestKeys.class)
class WorkResourceTest {

    @Test
    void workAnswersForValidToken() {
        String token = Tokens.sign(Tokens.claims().subject("bob").claim("cost", 25));
        String jti = Tokens.claimsOf(token).getJWTID();

        work(token).statusCode(200)
                .contentType("application/json")
                .body("service", equalTo("b"))
                .body("instance", equalTo(TestKeys.INSTANCE_ID))
                .body("subject", equalTo("bob"))
                .body("cost", equalTo(25))
                .body("result", equalTo(WorkFunction.run(jti.getBytes(StandardCharsets.UTF_8), 25)));
    }

    @Test
    void workResultIsDeterministicPerToken() {
        String token = Tokens.valid();
        String first = work(token).statusCode(200).extract().path("result");
        String second = work(token).statusCode(200).extract().path("result");
        String other = work(Tokens.valid()).statusCode(200).extract().path("result");

        assertEquals(first, second, "one token, one result");
        assertNotEquals(first, other, "the jti seeds the work, so two tokens differ");
    }

    @Test
    void workAcceptsTokenSignedByNextKeyDuringRotation() {
        String token = Tokens.sign(Tokens.claims(), TestKeys.NEXT_KID);
        work(token).statusCode(200)
                .body("subject", equalTo(Tokens.SUBJECT))
                .body("cost", equalTo(Tokens.COST));
    }

    @Test
    void workAcceptsAuthorizationSchemeInAnyCase() {
        // RFC 7235 §2.1: the scheme name is case-insensitive.
        given().header("Authorization", "bearer " + Tokens.valid()).when().get("/work").then().statusCode(200);
    }

    @Test
    void workWithoutCostClaimDoesNoWork() {
        String token = Tokens.sign(Tokens.claims().claim("cost", null));
        String jti = Tokens.claimsOf(token).getJWTID();
        work(token).statusCode(200)
                .body("cost", equalTo(0))
                .body("result", equalTo(WorkFunction.run(jti.getBytes(StandardCharsets.UTF_8), 0)));
    }

    @Test
    void workAcceptsCostAtBothBounds() {
        work(Tokens.sign(Tokens.claims().claim("cost", WorkFunction.MIN_COST))).statusCode(200).body("cost", equalTo(0));
        work(Tokens.sign(Tokens.claims().claim("cost", WorkFunction.MAX_COST))).statusCode(200).body("cost", equalTo(100_000));
    }

    @ParameterizedTest(name = "cost {0}")
    @ValueSource(longs = {-1, WorkFunction.MAX_COST + 1, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE})
    void workRejectsCostClaimOutOfRange(long cost) {
        expectInvalidCost(Tokens.sign(Tokens.claims().claim("cost", cost)));
    }

    @Test
    void workRejectsCostClaimBeyondLongRange() {
        // 2^64 + 384: a narrowing conversion would wrap it to a valid-looking 384
        expectInvalidCost(Tokens.sign(Tokens.claims().claim("cost", BigInteger.TWO.pow(64).add(BigInteger.valueOf(384)))));
    }

    @Test
    void workRejectsCostClaimThatIsAString() {
        expectInvalidCost(Tokens.sign(Tokens.claims().claim("cost", "10")));
    }

    @Test
    void workRejectsCostClaimThatIsAFraction() {
        expectInvalidCost(Tokens.sign(Tokens.claims().claim("cost", 2.5)));
    }

    @Test
    void workRejectsCostClaimThatIsNotANumber() {
        expectInvalidCost(Tokens.sign(Tokens.claims().claim("cost", true)));
    }

    private static void expectInvalidCost(String token) {
        work(token).statusCode(400)
                .contentType("application/json")
                .body("error", equalTo("invalid_cost"))
                .body("message", containsString("cost"))
                .body("message", not(containsString("Exception")));
    }

    private static ValidatableResponse work(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/work").then();
    }
}

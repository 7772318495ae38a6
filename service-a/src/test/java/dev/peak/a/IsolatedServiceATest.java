package dev.peak.a;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** service-a alone: its key set is missing and no service-b listens where it points. */
@QuarkusTest
@TestProfile(IsolatedServiceATest.Isolated.class)
class IsolatedServiceATest {

    public static class Isolated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "smallrye.jwt.sign.key.location", "target/no-such-dir/signing-jwks.json",
                    "peak.b.url", "http://localhost:1",
                    "peak.b.connect-timeout", "500ms");
        }
    }

    @Test
    void notReadyWhileTheSigningKeysCannotBeLoaded() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'signing-keys' }.data.reason", containsString("make keys"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void tokenAnswers503JsonWithoutKeys() {
        given().post("/token").then().statusCode(503).contentType("application/json")
                .body("error", equalTo("keys_unavailable"));
        given().get("/.well-known/jwks.json").then().statusCode(503).body("error", equalTo("keys_unavailable"));
    }

    @Test
    void workNeedsNoKeys() {
        given().get("/work").then().statusCode(200);
    }

    @Test
    void chainAnswers502WhenServiceBIsDown() {
        given().queryParam("cost", 1).get("/chain").then().statusCode(502).contentType("application/json")
                .body("error", equalTo("upstream_unreachable"))
                .body("message", containsString("localhost:1"));
    }
}

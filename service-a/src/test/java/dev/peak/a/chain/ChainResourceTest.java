package dev.peak.a.chain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.peak.a.WithServiceB;
import dev.peak.common.work.WorkFunction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** Both RI2 data paths against a real, separately running service-b. */
@QuarkusTest
@TestProfile(WithServiceB.class)
class ChainResourceTest {

    private static String serviceB() {
        return ConfigProvider.getConfig().getValue("peak.b.url", String.class);
    }

    @Test
    void chainAnswersAsWorkThenBsWorkForTheSameCost() {
        String expected = WorkFunction.run("peak".getBytes(StandardCharsets.UTF_8), 25);
        given().queryParam("cost", 25).get("/chain").then()
                .statusCode(200)
                .body("a.service", equalTo("a"))
                .body("a.instance", equalTo("a-test"))
                .body("a.cost", equalTo(25))
                .body("a.result", equalTo(expected))
                .body("b.service", equalTo("b"))
                .body("b.instance", equalTo(ServiceBProcess.INSTANCE))
                .body("b.cost", equalTo(25))
                .body("b.result", equalTo(expected));
    }

    @Test
    void chainPassesTheSeedToB() {
        given().queryParam("cost", 2).queryParam("seed", "s1").get("/chain").then().statusCode(200)
                .body("b.result", equalTo(WorkFunction.run("s1".getBytes(StandardCharsets.UTF_8), 2)));
    }

    @Test
    void chainRejectsBadCostBeforeCallingB() {
        given().queryParam("cost", "-5").get("/chain").then().statusCode(400).body("error", equalTo("invalid_cost"));
    }

    @Test
    void tokenFromAIsAcceptedByB() {
        String token = given().contentType(ContentType.JSON).body("{\"subject\":\"carol\",\"cost\":7}").post("/token")
                .then().statusCode(200).extract().path("token");
        given().baseUri(serviceB()).port(-1).auth().oauth2(token).get("/work").then()
                .statusCode(200)
                .body("service", equalTo("b"))
                .body("subject", equalTo("carol"))
                .body("cost", equalTo(7));
    }

    @Test
    void tamperedTokenFromAIsRejectedByB() {
        String token = given().post("/token").then().statusCode(200).extract().path("token");
        String[] parts = token.split("\\.");
        // Same header and signature, payload re-encoded with more work than A granted.
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"cost\":0", "\"cost\":100000");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        given().baseUri(serviceB()).port(-1).auth().oauth2(forged).get("/work").then()
                .statusCode(401)
                .body("error", equalTo("invalid_token"));
    }
}

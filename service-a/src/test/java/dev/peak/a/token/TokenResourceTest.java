package dev.peak.a.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.peak.a.TestSigningKeys;
import dev.peak.a.Tokens;
import dev.peak.a.WithServiceB;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(WithServiceB.class)
class TokenResourceTest {

    private static String token(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/token").then()
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(60))
                .body("audience", equalTo("peak-b"))
                .extract().path("token");
    }

    @Test
    void tokenCarriesTheContractClaimsAndVerifiesWithThePublishedKey() throws Exception {
        String token = token("{\"subject\":\"alice\",\"cost\":42}");
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals("rs256-1", jwt.getHeader().getKeyID());

        JWTClaimsSet claims = Tokens.verify(token, Tokens.publishedKeys());
        assertEquals("peak-a", claims.getIssuer());
        assertEquals(List.of("peak-b"), claims.getAudience());
        assertEquals("alice", claims.getSubject());
        assertEquals(42L, claims.getLongClaim("cost"));
        assertNotNull(claims.getJWTID());
        assertEquals(60_000, claims.getExpirationTime().getTime() - claims.getIssueTime().getTime());
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String first = SignedJWT.parse(token("{}")).getJWTClaimsSet().getJWTID();
        String second = SignedJWT.parse(token("{}")).getJWTClaimsSet().getJWTID();
        assertNotEquals(first, second);
    }

    @Test
    void tokenWithoutBodyIsForAnonymousAndNoWork() throws Exception {
        String token = given().post("/token").then().statusCode(200).extract().path("token");
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals("anonymous", claims.getSubject());
        assertEquals(0L, claims.getLongClaim("cost"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"cost\":-1}", "{\"cost\":100001}", "{\"cost\":99999999999}"})
    void tokenRejectsCostOutsideTheRange(String body) {
        given().contentType(ContentType.JSON).body(body).post("/token").then()
                .statusCode(400).contentType("application/json").body("error", equalTo("invalid_cost"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"cost\":\"lots\"}", "{bad json", "[1,2]", "{\"cost\":1e999999}"})
    void tokenRejectsMalformedBodyWithJsonError(String body) {
        given().contentType(ContentType.JSON).body(body).post("/token").then()
                .statusCode(400).contentType("application/json").body("error", equalTo("invalid_json"));
    }

    @Test
    void tokenRejectsOverlongOrBlankSubject() {
        given().contentType(ContentType.JSON).body("{\"subject\":\"" + "s".repeat(257) + "\"}").post("/token").then()
                .statusCode(400).body("error", equalTo("invalid_subject"));
        given().contentType(ContentType.JSON).body("{\"subject\":\"  \"}").post("/token").then()
                .statusCode(400).body("error", equalTo("invalid_subject"));
    }

    @Test
    void tokenRejectsNonJsonBody() {
        given().contentType(ContentType.TEXT).body("subject=alice").post("/token").then()
                .statusCode(415).contentType("application/json").body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void jwksPublishesThePublicHalfOfEveryKeyInTheSet() throws Exception {
        String body = given().get("/.well-known/jwks.json").then()
                .statusCode(200)
                .contentType(containsString("json"))
                .header("Cache-Control", containsString("max-age"))
                .extract().asString();
        JWKSet published = JWKSet.parse(body);
        assertEquals(TestSigningKeys.KIDS, published.getKeys().stream().map(k -> k.getKeyID()).toList());
        published.getKeys().forEach(k -> assertTrue(!k.isPrivate(), k.getKeyID() + " leaks its private part"));
        for (String privateMember : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
            assertTrue(!body.contains(privateMember), "JWKS contains " + privateMember);
        }
    }
}

package dev.peak.b;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** B's probes and the metrics peak-dns and the experiments read (docs/architecture.md: Services). */
@QuarkusTest
@WithTestResource(TestKeys.class)
class HealthAndMetricsTest {

    @Test
    void readyOnceTheVerificationKeysAreLoaded() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("verification-keys"))
                .body("checks.find { it.name == 'verification-keys' }.data.keys", equalTo(3));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsCountRequestsPerEndpointAndExportTheInFlightGauge() {
        given().header("Authorization", "Bearer " + Tokens.valid()).get("/work").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("peak_http_requests_in_flight "))
                .body(matchesPattern("(?s).*http_server_requests_seconds_count\\{[^}]*uri=\"/work\"[^}]*\\} [1-9].*"));
    }

    @Test
    void probesAndScrapesAreNotCountedAsLoad() {
        // The scrape itself is under /q/: with no application request running the gauge reads 0.
        given().get("/q/metrics").then().body(containsString("peak_http_requests_in_flight 0.0"));
    }

    @Test
    void tokenUsedTwiceIsVerifiedOnceAndCountedAsCacheHit() {
        String token = Tokens.valid();
        double hits = cacheLookups("hit");
        double misses = cacheLookups("miss");

        given().header("Authorization", "Bearer " + token).get("/work").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/work").then().statusCode(200);

        assertEquals(misses + 1, cacheLookups("miss"), "the first use verifies the signature");
        assertEquals(hits + 1, cacheLookups("hit"), "the second use is answered from the cache");
    }

    @Test
    void verifiedTokenCacheExportsItsSizeAndLookups() {
        given().header("Authorization", "Bearer " + Tokens.valid()).get("/work").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*\\ncache_size\\{[^}]*cache=\"verified-tokens\"[^}]*\\} [1-9].*"))
                .body(matchesPattern("(?s).*\\ncache_gets_total\\{[^}]*cache=\"verified-tokens\"[^}]*result=\"miss\"[^}]*\\} [1-9].*"));
    }

    /** The counter's value; 0 while it is absent (the cache registers it when the first token arrives). */
    private static double cacheLookups(String result) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^peak_token_cache_lookups_total\\{[^}]*result=\"" + result + "\"[^}]*\\} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}

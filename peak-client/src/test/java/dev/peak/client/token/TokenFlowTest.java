package dev.peak.client.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.peak.client.FakeHttp;
import dev.peak.client.PeakClient;
import dev.peak.client.StandInDns;

class TokenFlowTest {

    private static final URI ISSUER = URI.create("http://[::1]:8080/token");
    private static final URI WORK = URI.create("http://[::2]:8080/work");
    private static final FakeHttp.Answer REJECTED = new FakeHttp.Answer(401, Map.of("WWW-Authenticate",
            List.of("Bearer realm=\"peak\", error=\"invalid_token\", error_description=\"expired\"")), "{}");

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger issued = new AtomicInteger();
    private StandInDns dns;

    @BeforeEach
    void dns() throws Exception {
        dns = new StandInDns();
    }

    @AfterEach
    void stop() throws InterruptedException {
        dns.close();
    }

    /** The issuer hands out t1, t2, ... valid 60 s; the service answers as {@code service} says. */
    private TokenFlow flow(FakeHttp.Server service, FakeHttp[] http) {
        http[0] = new FakeHttp(request -> request.uri().getPath().equals("/token")
                ? FakeHttp.Answer.ok("{\"token\":\"t" + issued.incrementAndGet() + "\",\"tokenType\":\"Bearer\",\"expiresIn\":60}")
                : service.answer(request));
        PeakClient client = PeakClient.builder().dns(dns.entry()).httpClient(http[0]).build();
        return new TokenFlow(client, ISSUER, "{\"cost\":0}", Duration.ofSeconds(1), Duration.ofSeconds(5), now::get);
    }

    private static String bearer(HttpRequest request) {
        return request.headers().firstValue("Authorization").orElse("");
    }

    @Test
    void tokenIsKeptUntilShortlyBeforeItExpires() throws Exception {
        FakeHttp[] http = new FakeHttp[1];
        TokenFlow flow = flow(request -> FakeHttp.Answer.ok(bearer(request)), http);

        assertEquals("Bearer t1", flow.get(WORK).body());
        now.addAndGet(TimeUnit.SECONDS.toNanos(54));
        assertEquals("Bearer t1", flow.get(WORK).body());
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals("Bearer t2", flow.get(WORK).body(), "5 s before expiry a new token is fetched");
        assertEquals(2, issued.get());
    }

    @Test
    void rejectedTokenIsReplacedOnceAndTheCallSentAgain() throws Exception {
        FakeHttp[] http = new FakeHttp[1];
        TokenFlow flow = flow(request -> bearer(request).equals("Bearer t1") ? REJECTED : FakeHttp.Answer.ok("done"), http);

        assertEquals(200, flow.get(WORK).statusCode());
        assertEquals(2, issued.get());
        assertEquals(List.of("/token", "/work", "/token", "/work"),
                http[0].sent.stream().map(r -> r.uri().getPath()).toList());
    }

    @Test
    void secondRejectionIsTheCallersAndFetchesNoThirdToken() throws Exception {
        FakeHttp[] http = new FakeHttp[1];
        TokenFlow flow = flow(request -> REJECTED, http);

        assertEquals(401, flow.get(WORK).statusCode());
        assertEquals(2, issued.get(), "one refresh per call, not a loop");
    }

    @Test
    void unauthorizedForAnotherReasonFetchesNoNewToken() throws Exception {
        FakeHttp[] http = new FakeHttp[1];
        TokenFlow flow = flow(request -> new FakeHttp.Answer(401, Map.of("WWW-Authenticate",
                List.of("Bearer realm=\"peak\"")), "{}"), http);

        assertEquals(401, flow.get(WORK).statusCode());
        assertEquals(1, issued.get(), "no invalid_token: a new token would be refused the same way");
    }

    @Test
    void failedFetchIsTriedAgainByTheNextCall() throws Exception {
        FakeHttp[] http = new FakeHttp[1];
        AtomicInteger asked = new AtomicInteger();
        http[0] = new FakeHttp(request -> request.uri().getPath().equals("/token") && asked.incrementAndGet() == 1
                ? new FakeHttp.Answer(503, Map.of(), "{\"error\":\"unavailable\"}")
                : request.uri().getPath().equals("/token") ? FakeHttp.Answer.ok("{\"token\":\"t2\",\"expiresIn\":60}")
                : FakeHttp.Answer.ok(bearer(request)));
        TokenFlow flow = new TokenFlow(PeakClient.builder().dns(dns.entry()).httpClient(http[0]).build(), ISSUER, "{}",
                Duration.ofSeconds(1));

        assertThrows(IOException.class, () -> flow.get(WORK));
        assertEquals("Bearer t2", flow.get(WORK).body(), "a failed fetch is not kept");
    }

    @Test
    void issuerErrorSaysWhatItAnswered() {
        FakeHttp http = new FakeHttp(request -> new FakeHttp.Answer(500, Map.of(), "{\"error\":\"no signing key\"}"));
        PeakClient client = PeakClient.builder().dns(dns.entry()).httpClient(http).build();
        TokenFlow flow = new TokenFlow(client, ISSUER, "{}", Duration.ofSeconds(1));

        IOException e = assertThrows(IOException.class, () -> flow.get(WORK));
        assertTrue(e.getMessage().contains("500") && e.getMessage().contains("no signing key"), e.getMessage());
    }
}

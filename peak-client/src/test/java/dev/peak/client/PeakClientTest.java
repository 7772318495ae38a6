package dev.peak.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.peak.client.dns.NameServers;

class PeakClientTest {

    private static final URI WORK = URI.create("http://a.peak.test:8080/work?cost=0");
    private static final InetAddress ONE = address("fd00:70ea::a1");
    private static final InetAddress TWO = address("fd00:70ea::a2");
    private static final InetAddress THREE = address("fd00:70ea::a3");
    private static final Failover NO_WAIT = new Failover(3, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(30));

    private final AtomicLong now = new AtomicLong();
    private StandInDns dns;

    @BeforeEach
    void dns() throws Exception {
        dns = new StandInDns();
    }

    @AfterEach
    void stop() throws InterruptedException {
        dns.close();
    }

    private PeakClient client(FakeHttp http, Failover failover) {
        return PeakClient.builder().nameServers(NameServers.parse(dns.entry(), Duration.ofSeconds(1)))
                .httpClient(http).failover(failover).nanoTime(now::get).build();
    }

    private static HttpResponse<String> get(PeakClient client) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(WORK).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(PeakClient client) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(WORK).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void firstAddressOfTheAnswerIsUsedAndTheRequestKeepsPathQueryAndHeaders() throws Exception {
        dns.answer(5, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> FakeHttp.Answer.ok("done"));
        PeakClient client = client(http, NO_WAIT);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(WORK).header("Authorization", "Bearer x")
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals("done", response.body());
        HttpRequest sent = http.sent.get(0);
        assertEquals(URI.create("http://[fd00:70ea:0:0:0:0:0:a1]:8080/work?cost=0"), sent.uri());
        assertEquals(List.of("Bearer x"), sent.headers().allValues("Authorization"));
        assertEquals(Duration.ofSeconds(3), sent.timeout().orElseThrow());
    }

    @Test
    void connectFailureMovesToTheNextAddressOfTheAnswer() throws Exception {
        dns.answer(5, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> refusedAt(request, ONE));
        PeakClient client = client(http, NO_WAIT);

        assertEquals(200, post(client).statusCode());
        assertEquals(List.of(host(ONE), host(TWO)), http.hosts());
    }

    @Test
    void addressThatFailedIsSkippedByLaterRequestsUntilItsMarkLapses() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> refusedAt(request, ONE));
        PeakClient client = client(http, NO_WAIT);
        get(client);
        http.sent.clear();

        get(client);
        assertEquals(List.of(host(TWO)), http.hosts());

        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        http.sent.clear();
        get(client);
        assertEquals(List.of(host(ONE), host(TWO)), http.hosts(), "after 5 s the first address is tried again");
    }

    @Test
    void usedUpAnswerIsAskedAgainBeforeItsTtlEnds() throws Exception {
        // peak-dns's default: one address per answer; once the server fails, its next answer names the other one
        dns.answer(60, ONE);
        FakeHttp http = new FakeHttp(request -> {
            dns.answer(60, TWO);
            return refusedAt(request, ONE);
        });
        PeakClient client = client(http, NO_WAIT);

        assertEquals(200, get(client).statusCode());
        assertEquals(2, dns.queries(), "one query for the first answer, one after it failed");
        assertEquals(List.of(host(ONE), host(TWO)), http.hosts());
    }

    @Test
    void cachedAnswerNamingOnlyABadAddressIsAskedAgainBeforeAnySend() throws Exception {
        dns.answer(60, ONE);
        FakeHttp http = new FakeHttp(request -> refusedAt(request, ONE));
        PeakClient client = client(http, Failover.DEFAULT.withMaxAttempts(1));
        assertThrows(ConnectException.class, () -> get(client));
        dns.answer(60, TWO);
        http.sent.clear();

        assertEquals(200, get(client).statusCode());
        assertEquals(List.of(host(TWO)), http.hosts(), "the bad address was not sent to again");
    }

    @Test
    void attemptsPerRequestAreBoundedWhateverFails() throws Exception {
        dns.answer(60, ONE, TWO, THREE);
        FakeHttp http = new FakeHttp(request -> {
            throw new ConnectException("refused");
        });
        PeakClient client = client(http, NO_WAIT.withMaxAttempts(2));

        ConnectException failure = assertThrows(ConnectException.class, () -> get(client));
        assertEquals(2, http.sent.size());
        assertEquals(1, failure.getSuppressed().length, "the earlier attempt's failure is kept");
    }

    @Test
    void noFailoverSendsOnceAndKeepsTheAnswerForItsTtl() throws Exception {
        dns.answer(1, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> refusedAt(request, ONE));
        PeakClient client = client(http, Failover.NONE);

        assertThrows(ConnectException.class, () -> get(client));
        assertThrows(ConnectException.class, () -> get(client), "the plain client keeps a dead server for the TTL");
        assertEquals(1, dns.queries());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_001));
        dns.answer(1, TWO);
        assertEquals(200, get(client).statusCode(), "after the TTL the new answer is used");
    }

    @Test
    void shedWithRetryAfterMovesAnIdempotentRequestOn() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> host(ONE).equals(request.uri().getHost())
                ? FakeHttp.Answer.shed() : FakeHttp.Answer.ok("done"));
        PeakClient client = client(http, NO_WAIT);

        assertEquals(200, get(client).statusCode());
        assertEquals(List.of(host(ONE), host(TWO)), http.hosts());
    }

    @Test
    void shedIsNotRetriedForARequestThatIsNotIdempotentButMarksTheAddress() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> host(ONE).equals(request.uri().getHost())
                ? FakeHttp.Answer.shed() : FakeHttp.Answer.ok("done"));
        PeakClient client = client(http, NO_WAIT);

        assertEquals(503, post(client).statusCode());
        assertEquals(200, post(client).statusCode(), "the next request skips the shedding server");
        assertEquals(List.of(host(ONE), host(TWO)), http.hosts());
    }

    @Test
    void shedKeepsTheAddressBadForItsRetryAfterOnly() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> host(ONE).equals(request.uri().getHost()) && request.method().equals("POST")
                ? FakeHttp.Answer.shed() : FakeHttp.Answer.ok("done"));
        PeakClient client = client(http, NO_WAIT);
        post(client);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_001));
        http.sent.clear();

        get(client);
        assertEquals(List.of(host(ONE)), http.hosts(), "Retry-After: 1 lapsed after a second");
    }

    @Test
    void everyAttemptShedReturnsTheLastShed() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> FakeHttp.Answer.shed());
        PeakClient client = client(http, NO_WAIT);

        assertEquals(503, get(client).statusCode());
        assertEquals(3, http.sent.size());
    }

    @Test
    void connectionLostMidRequestIsRetriedOnlyWhenIdempotent() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp.Server resetAtOne = request -> {
            if (host(ONE).equals(request.uri().getHost())) {
                throw new IOException("Connection reset");
            }
            return FakeHttp.Answer.ok("done");
        };
        FakeHttp http = new FakeHttp(resetAtOne);
        assertEquals(200, get(client(http, NO_WAIT)).statusCode());
        assertEquals(2, http.sent.size());

        FakeHttp once = new FakeHttp(resetAtOne);
        assertThrows(IOException.class, () -> post(client(once, NO_WAIT)));
        assertEquals(1, once.sent.size(), "a POST that may have run is not sent twice");
    }

    @Test
    void timeoutIsNeverRetried() throws Exception {
        dns.answer(60, ONE, TWO);
        FakeHttp http = new FakeHttp(request -> {
            throw new HttpTimeoutException("request timed out");
        });

        assertThrows(HttpTimeoutException.class, () -> get(client(http, NO_WAIT)));
        assertEquals(1, http.sent.size(), "under overload a retry would double the load on late servers");
    }

    @Test
    void nameWithoutAddressesFailsWithTheName() throws Exception {
        dns.answer(60);
        FakeHttp http = new FakeHttp(request -> FakeHttp.Answer.ok("done"));

        UnknownHostException failure = assertThrows(UnknownHostException.class, () -> get(client(http, NO_WAIT)));
        assertTrue(failure.getMessage().contains("a.peak.test"), failure.getMessage());
        assertEquals(0, http.sent.size());
    }

    @Test
    void addressLiteralIsSentAsItIsWithoutDns() throws Exception {
        FakeHttp http = new FakeHttp(request -> FakeHttp.Answer.ok("done"));
        PeakClient client = client(http, NO_WAIT);

        client.send(HttpRequest.newBuilder(URI.create("http://[::1]:8080/work")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(0, dns.queries());
        assertEquals(List.of("[::1]"), http.hosts());
    }

    @Test
    void backoffBeforeAskingAgainIsJitteredWithinItsDoublingCeiling() {
        Failover failover = new Failover(3, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
        Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            long first = failover.jitteredBackoffNanos(0);
            long second = failover.jitteredBackoffNanos(1);
            assertTrue(first >= 0 && first <= 10_000_000, "round 0: " + first);
            assertTrue(second >= 0 && second <= 20_000_000, "round 1: " + second);
            seen.add(first / 1_000_000);
        }
        assertTrue(seen.size() > 5, "the waits are spread, not one value: " + seen);
    }

    private static FakeHttp.Answer refusedAt(HttpRequest request, InetAddress dead) throws ConnectException {
        if (host(dead).equals(request.uri().getHost())) {
            throw new ConnectException("Connection refused");
        }
        return FakeHttp.Answer.ok("served by " + request.uri().getHost());
    }

    private static String host(InetAddress address) {
        return "[" + address.getHostAddress() + "]";
    }

    private static InetAddress address(String literal) {
        return dev.peak.client.dns.Addresses.literal(literal);
    }
}

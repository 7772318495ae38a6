package dev.peak.client.token;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.client.PeakClient;

/**
 * RI2's flow on the client: a token from the issuer (service A's {@code POST /token}), kept until shortly before it
 * expires and carried as a bearer token to the service that checks it (B). With PEAK nothing between the two
 * services carries authority, so the client does: it is what the mesh's sidecars did.
 *
 * <p>A call answered 401 with {@code error="invalid_token"} (RFC 6750: expired, revoked, signed with a key the
 * service no longer trusts) fetches a new token once and is sent once more; a second 401 is the caller's. The token
 * is shared by every thread of the flow, and fetched by one of them at a time.
 * <p>A token is fetched when first asked for, 5 s before it expires, after a rejection, and after a failed fetch.
 */
public final class TokenFlow {

    /** How long before its expiry a token is replaced, at most: a call must not reach B with a token about to lapse. */
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PeakClient client;
    private final URI issuer;
    private final String requestBody;
    private final Duration requestTimeout;
    private final Duration refreshBefore;
    private final LongSupplier nanoTime;
    /** The token held, or being fetched; replaced when it nears its expiry, is rejected, or could not be fetched. */
    private CompletableFuture<Token> current;

    /**
     * @param issuer         A's token endpoint, e.g. {@code http://a.peak.test:8080/token}
     * @param requestBody    the JSON the issuer is sent ({@code {"cost":1000}}), or "{}"
     * @param requestTimeout each request's timeout, to the issuer and to the service
     */
    public TokenFlow(PeakClient client, URI issuer, String requestBody, Duration requestTimeout) {
        this(client, issuer, requestBody, requestTimeout, DEFAULT_REFRESH_BEFORE, System::nanoTime);
    }

    TokenFlow(PeakClient client, URI issuer, String requestBody, Duration requestTimeout, Duration refreshBefore,
              LongSupplier nanoTime) {
        this.client = client;
        this.issuer = issuer;
        this.requestBody = requestBody;
        this.requestTimeout = requestTimeout;
        this.refreshBefore = refreshBefore;
        this.nanoTime = nanoTime;
    }

    /** {@code GET uri} with the current token; on a 401 {@code invalid_token}, once more with a new one. */
    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return PeakClient.await(getAsync(uri));
    }

    /** {@link #get(URI)}, without blocking. */
    public CompletableFuture<HttpResponse<String>> getAsync(URI uri) {
        return tokenAsync().thenCompose(used -> client.sendAsync(bearer(uri, used), HttpResponse.BodyHandlers.ofString())
                .thenCompose(response -> !rejectedToken(response) ? CompletableFuture.completedFuture(response)
                        : replace(used).thenCompose(fresh -> client.sendAsync(bearer(uri, fresh),
                        HttpResponse.BodyHandlers.ofString()))));
    }

    /** The token to send now: the one held, unless it is about to expire. */
    public String token() throws IOException, InterruptedException {
        return PeakClient.await(tokenAsync());
    }

    /** {@link #token()}, without blocking: callers that ask while a token is being fetched share that fetch. */
    public synchronized CompletableFuture<String> tokenAsync() {
        if (current == null) {
            current = fetch("first");
        } else if (current.isCompletedExceptionally()) {
            current = fetch("failed");
        } else if (current.isDone() && nanoTime.getAsLong() - current.join().replaceAtNanos() >= 0) {
            current = fetch("expiry");
        }
        return current.thenApply(Token::value);
    }

    /** A new token in place of {@code rejected}, unless it was replaced already. */
    private synchronized CompletableFuture<String> replace(String rejected) {
        if (current.isDone() && !current.isCompletedExceptionally() && current.join().value().equals(rejected)) {
            current = fetch("rejected");
        }
        return current.thenApply(Token::value);
    }

    private CompletableFuture<Token> fetch(String reason) {
        HttpRequest request = HttpRequest.newBuilder(issuer).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody)).build();
        long sent = nanoTime.getAsLong();
        // a token request changes nothing at A: sending it twice is harmless, so it may fail over like a GET
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(), true).thenApply(response -> {
            Token token = token(response, sent);
            client.metrics().tokenFetched(reason);
            return token;
        });
    }

    /** The token of the issuer's answer, to be replaced shortly before it expires. */
    private Token token(HttpResponse<String> response, long sentNanos) {
        if (response.statusCode() != 200) {
            throw new CompletionException(new IOException("token issuer " + issuer + " answered "
                    + response.statusCode() + ": " + abbreviated(response.body())));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CompletionException(new IOException("token issuer " + issuer + " answered no JSON: "
                    + abbreviated(response.body()), e));
        }
        JsonNode value = body.path("token");
        long expiresIn = body.path("expiresIn").asLong(0);
        if (!value.isTextual() || expiresIn <= 0) {
            throw new CompletionException(new IOException("token issuer " + issuer + " answered no token and expiresIn: "
                    + abbreviated(response.body())));
        }
        // counted from the request's start: the issuer's clock started the lifetime no earlier than that
        long lifetime = Duration.ofSeconds(expiresIn).toNanos();
        long margin = Math.min(refreshBefore.toNanos(), lifetime / 2);
        return new Token(value.asText(), sentNanos + lifetime - margin);
    }

    private record Token(String value, long replaceAtNanos) {
    }

    private HttpRequest bearer(URI uri, String bearer) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Authorization", "Bearer " + bearer).GET()
                .build();
    }

    /** RFC 6750 §3.1: the resource server says the token itself is the problem, not the request. */
    static boolean rejectedToken(HttpResponse<?> response) {
        return response.statusCode() == 401 && response.headers().allValues("WWW-Authenticate").stream()
                .anyMatch(challenge -> challenge.contains("error=\"invalid_token\""));
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}

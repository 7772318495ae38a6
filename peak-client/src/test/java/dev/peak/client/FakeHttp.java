package dev.peak.client;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An HttpClient that sends nothing: each request is handed to a {@link Server} that answers or throws as a test
 * says, and every request is kept, so a test can tell where each attempt went.
 */
public final class FakeHttp extends HttpClient {

    /** Answers one request: a response, or the IOException the real client would have thrown. */
    public interface Server {
        Answer answer(HttpRequest request) throws IOException;
    }

    /** A response's status, headers and body. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public static Answer ok(String body) {
            return new Answer(200, Map.of(), body);
        }

        public static Answer shed() {
            return new Answer(503, Map.of("Retry-After", List.of("1")), "{\"error\":\"overloaded\"}");
        }
    }

    public final List<HttpRequest> sent = new CopyOnWriteArrayList<>();
    private final Server server;

    public FakeHttp(Server server) {
        this.server = server;
    }

    /** The host of each request sent, in order. */
    List<String> hosts() {
        return sent.stream().map(r -> r.uri().getHost()).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        sent.add(request);
        Answer answer = server.answer(request);
        return (HttpResponse<T>) new Response(request, answer);
    }

    private record Response(HttpRequest request, Answer answer) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return answer.status();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(answer.headers(), (name, value) -> true);
        }

        @Override
        public String body() {
            return answer.body();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** Answered at once, on the caller's thread, as a client whose executor runs tasks where they complete. */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return CompletableFuture.completedFuture(send(request, handler));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        return null;
    }

    @Override
    public SSLParameters sslParameters() {
        return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }
}

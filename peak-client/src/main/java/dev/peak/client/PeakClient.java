package dev.peak.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.peak.client.dns.Addresses;
import dev.peak.client.dns.NameServers;

/**
 * An HTTP client that finds its servers through peak-dns and does what a reverse proxy did for its clients:
 * it picks the server (peak-dns's first address), and when that server fails it moves to another.
 *
 * <ul>
 *   <li>Names are asked of the configured peak-dns replicas ({@link NameServers}) and each answer is kept for its
 *       TTL, for every request of this client.</li>
 *   <li>A request goes to the answer's first address that has not failed lately ({@link BadAddresses}).</li>
 *   <li>A connect failure, or a 503 with {@code Retry-After} (the server shed the request unread), marks the address
 *       bad and sends the request to the next address; once the answer's addresses are used up, peak-dns is asked
 *       again before the TTL ends, after a jittered wait, up to {@value #QUERIES_PER_ROUND} times for a server the
 *       request has not tried. {@link Failover#maxAttempts()} bounds the sends.</li>
 *   <li>Only the failures where the server cannot have acted are retried for any request: a connect failure. A 503
 *       shed or a connection lost mid-request is retried only for an idempotent request (GET, HEAD, PUT, DELETE,
 *       OPTIONS, or one sent with {@code idempotent} true). A request that timed out is never retried: under
 *       overload that would double the load on servers that are already late.</li>
 * </ul>
 *
 * <p>Thread-safe. Several clients may share one {@link HttpClient} (its connections) and one {@link NameServers}
 * while each keeps its own answers: that is how the load generator gives every simulated client host its own
 * cache.
 */
public final class PeakClient {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
    /**
     * Questions to peak-dns per round, for an address this request has not tried: an answer names one server by
     * default, and round robin may name the failed one again before its health check has taken it out.
     */
    static final int QUERIES_PER_ROUND = 3;
    /** What a shedding server answers (the suite's services: peak-common's InFlightRequests), with Retry-After. */
    private static final int OVERLOADED = 503;

    private final HttpClient http;
    private final AnswerCache answers;
    private final BadAddresses bad;
    private final Failover failover;
    private final ClientMetrics metrics;

    private PeakClient(Builder builder) {
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.metrics = builder.metrics;
        this.answers = new AnswerCache(builder.nameServers, metrics, builder.nanoTime);
        this.bad = new BadAddresses(builder.nanoTime);
        this.failover = builder.failover;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /** Sends {@code request}, idempotent when its method is, and waits for the outcome. */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return await(sendAsync(request, handler));
    }

    /** Sends {@code request} as {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler, boolean)} does, and waits. */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, boolean idempotent)
            throws IOException, InterruptedException {
        return await(sendAsync(request, handler, idempotent));
    }

    /** Sends {@code request}, idempotent when its method is. */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, IDEMPOTENT.contains(request.method().toUpperCase(Locale.ROOT)));
    }

    /**
     * Sends {@code request} to one of its host's servers, moving to another on failure as the class says. Nothing
     * here blocks: with an HttpClient whose executor runs tasks where they complete, a whole request, failovers
     * included, runs on the client's own I/O threads.
     *
     * @param idempotent whether sending it twice is harmless, which allows retrying it after a shed or a lost
     *                   connection
     * @return the first response that is not a shed; the last shed when every attempt was shed. It fails with the
     *         last attempt's IOException, the earlier ones suppressed in it, or with the name's
     *         UnknownHostException
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            boolean idempotent) {
        URI uri = request.uri();
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        if (Addresses.isLiteral(host)) {
            return http.sendAsync(request, handler);
        }
        Attempts<T> attempts = new Attempts<>(request, handler, idempotent, host);
        answers.resolve(host).whenComplete(attempts::resolved);
        return attempts.outcome;
    }

    /** The outcome of one of the client's futures, waited for: its IOException thrown as such. */
    public static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = unwrapped(e);
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    private static Throwable unwrapped(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** One request's attempts, each started when the previous one's outcome is known. */
    private final class Attempts<T> {
        final CompletableFuture<HttpResponse<T>> outcome = new CompletableFuture<>();
        private final HttpRequest request;
        private final HttpResponse.BodyHandler<T> handler;
        private final boolean idempotent;
        private final String host;
        private final Set<InetAddress> tried = new HashSet<>();
        private final List<IOException> failures = new ArrayList<>();
        private HttpResponse<T> shed;
        private int attempts;
        private int rounds;

        Attempts(HttpRequest request, HttpResponse.BodyHandler<T> handler, boolean idempotent, String host) {
            this.request = request;
            this.handler = handler;
            this.idempotent = idempotent;
            this.host = host;
        }

        void resolved(List<InetAddress> answer, Throwable error) {
            if (error != null) {
                fail(unwrapped(error));
            } else {
                next(answer);
            }
        }

        /** The next attempt, at the answer's next address, or after asking peak-dns again; or the outcome. */
        private void next(List<InetAddress> answer) {
            if (attempts == failover.maxAttempts()) {
                finish();
                return;
            }
            InetAddress address = pick(answer, tried, false);
            if (address != null) {
                send(answer, address);
                return;
            }
            // the answer is used up (every address failed, for this request or lately for others): peak-dns may name
            // another server by now. After a failure of this request's own, not at once
            long wait = attempts > 0 ? failover.jitteredBackoffNanos(rounds++) : 0;
            if (wait > 0) {
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, Runnable::run).execute(() -> ask(0));
            } else {
                ask(0);
            }
        }

        private void ask(int query) {
            answers.refresh(host).whenComplete((answer, error) -> {
                if (error != null) {
                    fail(unwrapped(error));
                    return;
                }
                InetAddress address = pick(answer, tried, false);
                if (address == null && query + 1 < QUERIES_PER_ROUND) {
                    ask(query + 1);
                } else {
                    // peak-dns names nothing better: an address that failed may be back, the attempts are bounded
                    send(answer, address != null ? address : pick(answer, tried, true));
                }
            });
        }

        private void send(List<InetAddress> answer, InetAddress address) {
            tried.add(address);
            if (attempts > 0) {
                IOException last = failures.isEmpty() ? null : failures.get(failures.size() - 1);
                metrics.failover(last == null ? "shed" : notSent(last) ? "connect" : "io");
            }
            attempts++;
            http.sendAsync(at(request, address), handler).whenComplete((response, error) -> {
                if (error == null) {
                    answered(answer, address, response);
                } else {
                    failed(answer, address, unwrapped(error));
                }
            });
        }

        private void answered(List<InetAddress> answer, InetAddress address, HttpResponse<T> response) {
            Optional<String> retryAfter = response.headers().firstValue("Retry-After");
            if (response.statusCode() != OVERLOADED || retryAfter.isEmpty()) {
                outcome.complete(response);
                return;
            }
            bad.mark(address, retryAfter(retryAfter.get()));
            shed = response;
            failures.clear();
            if (idempotent) {
                next(answer);
            } else {
                outcome.complete(response);
            }
        }

        private void failed(List<InetAddress> answer, InetAddress address, Throwable error) {
            if (!(error instanceof IOException failure)) {
                fail(error);
                return;
            }
            bad.mark(address, failover.badFor());
            if (!notSent(failure) && (failure instanceof HttpTimeoutException || !idempotent)) {
                fail(failure);
                return;
            }
            failures.add(failure);
            shed = null;
            next(answer);
        }

        private void finish() {
            if (shed != null) {
                outcome.complete(shed);
            } else {
                fail(failures.remove(failures.size() - 1));
            }
        }

        /** Fails the request with {@code error}, the earlier attempts' failures suppressed in it. */
        private void fail(Throwable error) {
            failures.forEach(error::addSuppressed);
            outcome.completeExceptionally(error);
        }
    }

    /** The answer's first address not tried by this request, and not bad unless {@code evenBad}; null if none. */
    private InetAddress pick(List<InetAddress> answer, Set<InetAddress> tried, boolean evenBad) {
        for (InetAddress address : answer) {
            if (!tried.contains(address) && (evenBad || !bad.isBad(address))) {
                return address;
            }
        }
        return evenBad ? answer.get(0) : null;
    }

    /** The request never reached the server: any request may be sent again, elsewhere. */
    private static boolean notSent(IOException failure) {
        return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
    }

    /** Retry-After in seconds, within the bound; an HTTP date or garbage counts as the default bad time. */
    private Duration retryAfter(String value) {
        try {
            Duration asked = Duration.ofSeconds(Long.parseLong(value.trim()));
            return asked.compareTo(failover.maxRetryAfter()) > 0 ? failover.maxRetryAfter() : asked;
        } catch (NumberFormatException e) {
            return failover.badFor();
        }
    }

    /** {@code request} sent to {@code address}: same method, headers, body and timeout; the URI's host replaced. */
    static HttpRequest at(HttpRequest request, InetAddress address) {
        URI uri = request.uri();
        String literal = address.getHostAddress();
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        StringBuilder target = new StringBuilder(uri.getScheme()).append("://")
                .append(address instanceof Inet6Address ? "[" + literal + "]" : literal);
        if (uri.getPort() >= 0) {
            target.append(':').append(uri.getPort());
        }
        target.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            target.append('?').append(uri.getRawQuery());
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(URI.create(target.toString())).build();
    }

    /** A client's settings; every one but the DNS servers has a default. */
    public static final class Builder {
        private NameServers nameServers;
        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Failover failover = Failover.DEFAULT;
        private ClientMetrics metrics = ClientMetrics.NONE;
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** The peak-dns replicas, e.g. {@code "fd00:70ea::53 [fd00:70ea::54]:53"}, each asked for 1 s. */
        public Builder dns(String servers) {
            return nameServers(NameServers.parse(servers, NameServers.DEFAULT_TIMEOUT));
        }

        /** The peak-dns replicas and how long each has to answer; may be shared by clients. */
        public Builder nameServers(NameServers servers) {
            this.nameServers = servers;
            return this;
        }

        /** The HttpClient to send with (its connection pool may be shared); by default one of this client's own. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /** The connect timeout of the client's own HttpClient (1 s by default): a dead host fails over after it. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder failover(Failover failover) {
            this.failover = failover;
            return this;
        }

        /** Where the client counts; e.g. {@code new MicrometerClientMetrics(registry)}. */
        public Builder metrics(ClientMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** The clock of TTLs and bad marks; tests move it by hand. */
        Builder nanoTime(LongSupplier clock) {
            this.nanoTime = clock;
            return this;
        }

        public PeakClient build() {
            if (nameServers == null) {
                throw new IllegalStateException("no DNS server: call dns(\"<peak-dns address> ...\")");
            }
            return new PeakClient(this);
        }
    }
}

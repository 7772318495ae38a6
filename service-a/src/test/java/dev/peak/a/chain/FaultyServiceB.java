package dev.peak.a.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for service-b that fails in the ways a real one can, chosen per request by the
 * {@code seed} that /chain passes through: {@code error} answers 500, {@code html} answers 200 with a
 * non-JSON body, {@code hang} never answers in time, {@code reset} closes the connection.
 */
public class FaultyServiceB implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/internal/work", FaultyServiceB::answer);
        server.start();
        return Map.of("peak.b.url", "http://localhost:" + server.getAddress().getPort(), "peak.b.timeout", "500ms");
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        if (query.contains("seed=error")) {
            send(exchange, 500, "{\"error\":\"internal_error\"}");
        } else if (query.contains("seed=html")) {
            send(exchange, 200, "<html>proxy error page</html>");
        } else if (query.contains("seed=hang")) {
            sleep(3_000);
            send(exchange, 200, "{}");
        } else {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

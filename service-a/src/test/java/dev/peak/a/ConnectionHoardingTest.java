package dev.peak.a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Connections that hold a socket and send nothing (idle), or send their headers a line at a time and never
 * finish (slowloris), cost the event loops nothing while they wait: a normal client is still answered at once.
 */
@QuarkusTest
class ConnectionHoardingTest {

    private static final int IDLE = 3_000;
    private static final int SLOW = 200;

    @Test
    void idleAndSlowHeaderConnectionsDoNotDelayANormalRequest() throws Exception {
        InetSocketAddress server = new InetSocketAddress("localhost", RestAssured.port);
        List<Socket> hoarded = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE; i++) {
                hoarded.add(connect(server));
            }
            List<OutputStream> slow = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                Socket socket = connect(server);
                hoarded.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write("GET /work?cost=1 HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(out);
            }
            // one more header line on every slow connection: they are busy, not idle, and still unfinished
            for (OutputStream out : slow) {
                out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest normal = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/work?cost=1"))
                    .timeout(Duration.ofSeconds(1)).build();
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(normal, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(millis < 1_000, "answered after " + millis + " ms beside " + IDLE + " idle and " + SLOW + " slow connections");
        } finally {
            for (Socket socket : hoarded) {
                socket.close();
            }
        }
    }

    private static Socket connect(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server, 5_000);
        return socket;
    }
}

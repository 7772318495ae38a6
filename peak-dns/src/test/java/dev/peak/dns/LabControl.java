package dev.peak.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;

/** The test side of {@link LoopbackLab}: steers its stand-in service instances. */
public final class LabControl {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LabControl() {
    }

    /** The stand-in at {@code address} answers its readiness probe with this status. */
    public static void status(String address, int status) {
        call(address, "status?" + status);
    }

    /** The stand-in at {@code address} reports this many requests in flight. */
    public static void load(String address, double inFlight) {
        call(address, "load?" + inFlight);
    }

    /** Has the stand-in's shed counter grow by one at every metrics read, or stop growing. */
    public static void shedding(String address, boolean shedding) {
        call(address, "shedding?" + shedding);
    }

    /** The stand-in at {@code address} stops listening (connections are refused). */
    public static void stop(String address) {
        call(address, "stop");
    }

    public static void start(String address) {
        call(address, "start");
    }

    /** The Host header of the last readiness probe the stand-in at {@code address} received. */
    public static String lastProbeHost(String address) {
        return call(address, "host");
    }

    /** Where the stand-ins listen. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("lab.port", Integer.class);
    }

    /** Every stand-in back to ready, idle and listening. */
    public static void reset() {
        for (String address : new String[] {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "::1"}) {
            start(address);
            status(address, 200);
            load(address, 0);
            shedding(address, false);
        }
    }

    private static String call(String address, String action) {
        String base = ConfigProvider.getConfig().getValue("lab.control", String.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + address + "/" + action))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("lab control " + action + " on " + address + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.peak.driver.lab;

import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which servers a load balancer currently sends traffic to, as the load balancer itself reports it:
 * peak-dns's {@code /v1/services}, HAProxy's stats socket. The lab is ready only when every server
 * is in rotation, so that no run starts while a server is still being admitted.
 */
final class Rotation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rotation() {
    }

    /** Endpoints of any service that peak-dns does not consider UP, or null when it cannot be asked. */
    static List<String> notUpAtPeakDns(String dnsAddress) {
        HttpResponse<String> response = Http.get(URI.create(
                Lab.url(dnsAddress, Addresses.DNS_ADMIN_PORT) + "/v1/services"));
        if (response == null || response.statusCode() != 200) {
            return null;
        }
        List<String> notUp = new ArrayList<>();
        try {
            for (JsonNode service : JSON.readTree(response.body()).path("services")) {
                for (JsonNode endpoint : service.path("endpoints")) {
                    if (!"UP".equals(endpoint.path("health").asText())) {
                        notUp.add(service.path("name").asText() + "/" + endpoint.path("address").asText());
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return notUp;
    }

    /**
     * Servers HAProxy does not route to (status other than UP; "no check" counts as routed), or null
     * when its stats socket does not answer.
     */
    static List<String> notUpAtHaproxy(Path statsSocket) {
        String csv;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(statsSocket))) {
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            csv = readAll(channel);
        } catch (IOException e) {
            return null;
        }
        return serversNotUp(csv);
    }

    /** From {@code show stat} CSV: backend/server of every server whose status is neither UP nor "no check". */
    static List<String> serversNotUp(String csv) {
        List<String> notUp = new ArrayList<>();
        int status = -1;
        for (String line : csv.split("\n")) {
            String[] fields = line.split(",", -1);
            if (line.startsWith("# ")) {
                status = List.of(fields).indexOf("status");
            } else if (status > 0 && fields.length > status && !fields[1].equals("FRONTEND")
                    && !fields[1].equals("BACKEND") && !fields[status].equals("UP") && !fields[status].equals("no check")) {
                notUp.add(fields[0] + "/" + fields[1] + " " + fields[status]);
            }
        }
        return notUp;
    }

    private static String readAll(SocketChannel channel) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            text.append(StandardCharsets.US_ASCII.decode(buffer));
            buffer.clear();
        }
        return text.toString();
    }
}

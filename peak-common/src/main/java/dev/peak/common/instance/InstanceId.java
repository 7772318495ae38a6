package dev.peak.common.instance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The name this instance puts in every response ({@code peak.instance.id}, default: the host name),
 * so the experiments can measure how evenly load is spread.
 */
@ApplicationScoped
public class InstanceId {

    private final String value;

    public InstanceId(@ConfigProperty(name = "peak.instance.id") Optional<String> configured) {
        this.value = configured.filter(id -> !id.isBlank()).orElseGet(InstanceId::hostName);
    }

    public String value() {
        return value;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}

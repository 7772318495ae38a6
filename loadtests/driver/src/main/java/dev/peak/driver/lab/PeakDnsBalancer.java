package dev.peak.driver.lab;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.peak.common.net.Hosts;
import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.HealthChecks;
import dev.peak.driver.variant.Variant;

/**
 * PEAK: peak-dns replicas answer the services' names with the servers' addresses, read from a static discovery file
 * that the lab rewrites on every scale (peak-dns reloads it on change).
 */
final class PeakDnsBalancer implements Balancer {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    /** peak-dns's static discovery file, as docs/architecture.md's "The static discovery file" describes it. */
    record ZoneFile(String zone, long ttl, Map<String, Service> services) {
    }

    record Service(String policy, @JsonProperty("answer-size") int answerSize, int port, Health health,
                   List<String> endpoints) {
    }

    record Health(String path, String interval, String timeout, int rise, int fall) {
    }

    private final Lab lab;

    PeakDnsBalancer(Lab lab) {
        this.lab = lab;
    }

    @Override
    public void start() {
        writeZone();
        for (int replica = 1; replica <= lab.options().dnsReplicas(); replica++) {
            startReplica(replica);
        }
    }

    private void startReplica(int replica) {
        String address = Addresses.dns(replica);
        lab.namespace().addAddress(address);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("peak.dns.host", address);
        props.put("peak.dns.port", Integer.toString(Addresses.DNS_PORT));
        props.put("peak.dns.zone", Hosts.DEFAULT_ZONE);
        props.put("peak.dns.static.file", zoneFile().toString());
        props.put("quarkus.http.host", address);
        props.put("quarkus.http.port", Integer.toString(Addresses.DNS_ADMIN_PORT));
        lab.launchJvm("peak-dns-" + replica, Component.PEAK_DNS, address, Addresses.DNS_PORT,
                Artifacts.Application.PEAK_DNS, props);
    }

    @Override
    public void reconfigure(int previous) {
        writeZone();
    }

    private Path zoneFile() {
        return lab.workDir().resolve("peak-dns").resolve("services.yaml");
    }

    /** Written whole and renamed, so a reload never sees half of it. */
    private void writeZone() {
        Map<String, Service> services = new LinkedHashMap<>();
        for (char service : lab.options().variant().withB() ? new char[]{'a', 'b'} : new char[]{'a'}) {
            services.put(String.valueOf(service), new Service(lab.options().balance().peakDnsPolicy(), 1, Addresses.SERVICE_PORT,
                    new Health(HealthChecks.PATH, HealthChecks.INTERVAL.toMillis() + "ms",
                            HealthChecks.TIMEOUT.toMillis() + "ms", HealthChecks.RISE, HealthChecks.FALL),
                    lab.serverAddresses(service)));
        }
        try {
            ConfigFile.write(zoneFile(), "# Written by the lab for " + lab.options().variant()
                    + "; peak-dns reloads it on change.\n"
                    + YAML.writeValueAsString(new ZoneFile(Hosts.DEFAULT_ZONE, lab.options().dnsTtl().toSeconds(), services)));
        } catch (JsonProcessingException e) {
            throw new LabException("cannot write peak-dns's zone file: " + e.getMessage(), e);
        }
    }

    @Override
    public String entry() {
        return byName('a');
    }

    @Override
    public Optional<String> entryB() {
        return lab.options().variant() == Variant.RI2_PEAK ? Optional.of(byName('b')) : Optional.empty();
    }

    /** A service's base URL by the name peak-dns answers for it, e.g. http://a.peak.test:8080. */
    private static String byName(char service) {
        return "http://" + service + "." + Hosts.DEFAULT_ZONE.substring(0, Hosts.DEFAULT_ZONE.length() - 1) + ":" + Addresses.SERVICE_PORT;
    }

    @Override
    public List<URI> readinessChecks() {
        List<URI> checks = new ArrayList<>(List.of(URI.create(entry() + HealthChecks.PATH)));
        entryB().ifPresent(b -> checks.add(URI.create(b + HealthChecks.PATH)));
        return checks;
    }

    @Override
    public List<String> notInRotation(Instance instance) {
        return instance.role() == BudgetClass.DNS ? Rotation.notUpAtPeakDns(instance.address()) : List.of();
    }
}

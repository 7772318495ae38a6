package dev.peak.driver.lab;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.peak.driver.lab.proxy.Listen;
import dev.peak.driver.lab.proxy.MeshCertificates;
import dev.peak.driver.lab.proxy.MeshConfig;
import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.HealthChecks;

/**
 * RI2 through the mesh, emulated as Istio's data plane is: an ingress gateway on the entry address, an HAProxy sidecar
 * beside every A and B instance, mTLS between sidecars with one certificate per identity, and only A's identity
 * admitted to B's internal endpoint (docs/architecture.md: Variants).
 */
final class MeshBalancer implements Balancer {

    private static final String INGRESS = "ingress";

    private final Lab lab;
    private final HaproxyRuntime runtime = new HaproxyRuntime();
    private MeshCertificates certificates;

    MeshBalancer(Lab lab) {
        this.lab = lab;
    }

    @Override
    public void prepare() {
        certificates = MeshCertificates.generate(lab.workDir().resolve("mesh-certs"),
                List.of(MeshIdentity.INGRESS, MeshIdentity.A, MeshIdentity.B));
        lab.namespace().addAddress(Addresses.ENTRY);
    }

    /**
     * A's outbound call to B leaves through its own sidecar, as iptables capture makes it in Istio; B's internal
     * endpoint exists only here, behind a sidecar that admits only A's identity.
     */
    @Override
    public Map<String, String> serviceProperties(char service, String address) {
        return service == 'a' ? Map.of("peak.b.url", outboundUrl(address)) : Map.of("peak.b.internal.enabled", "true");
    }

    /** The URL A calls B at: its own sidecar's outbound listener. */
    private static String outboundUrl(String aAddress) {
        return Lab.url(aAddress, MeshConfig.OUTBOUND_PORT);
    }

    @Override
    public void serverStarted(char service, int i) {
        String name = sidecar(service, i);
        String address = Addresses.service(service, i);
        lab.startProcess(name, Component.SIDECAR, address, MeshConfig.INBOUND_PORT,
                HaproxyRuntime.command(writeSidecarConfig(service, i)));
    }

    @Override
    public void serverStopping(char service, int i) {
        lab.stopInstance(sidecar(service, i));
        runtime.forget(sidecar(service, i));
    }

    private static String sidecar(char service, int i) {
        return "sidecar-" + service + "-" + i;
    }

    private Path writeSidecarConfig(char service, int i) {
        String name = sidecar(service, i);
        String address = Addresses.service(service, i);
        int threads = lab.options().budgets().processors(BudgetClass.PROXY);
        // Like the mesh's AuthorizationPolicy: only A's identity may call B's internal endpoint
        String config = service == 'a'
                ? MeshConfig.sidecar(MeshIdentity.A, address, Addresses.SERVICE_PORT, List.of(), MeshIdentity.B,
                        lab.upstreams('b', MeshConfig.INBOUND_PORT), certificates, threads, runtime.dir(name))
                : MeshConfig.sidecar(MeshIdentity.B, address, Addresses.SERVICE_PORT, List.of(MeshIdentity.A), null,
                        List.of(), certificates, threads, runtime.dir(name));
        return ConfigFile.write(lab.configDir(name).resolve("haproxy.cfg"), config);
    }

    @Override
    public void start() {
        lab.startProcess(INGRESS, Component.INGRESS, Addresses.ENTRY, Addresses.SERVICE_PORT,
                HaproxyRuntime.command(writeIngressConfig()));
    }

    /** The ingress's config for A's sidecars running now. */
    private Path writeIngressConfig() {
        return ConfigFile.write(lab.configDir(INGRESS).resolve("haproxy.cfg"), MeshConfig.ingress(
                new Listen(Addresses.ENTRY, Addresses.SERVICE_PORT), lab.upstreams('a', MeshConfig.INBOUND_PORT),
                certificates, lab.options().budgets().processors(BudgetClass.PROXY), runtime.dir(INGRESS)));
    }

    /**
     * The ingress and the A sidecars that ran before learn the new peers; sidecars started just now read them
     * already, and a reload signal that reached them before HAProxy installed its handler would kill them.
     */
    @Override
    public void reconfigure(int previous) {
        writeIngressConfig();
        lab.signal(INGRESS, "USR2");
        for (int i = 1; i <= Math.min(previous, lab.servers()); i++) {
            writeSidecarConfig('a', i);
            lab.signal(sidecar('a', i), "USR2");
        }
    }

    @Override
    public Optional<String> proxy() {
        return Optional.of(INGRESS);
    }

    @Override
    public String entry() {
        return Lab.url(Addresses.ENTRY, Addresses.SERVICE_PORT);
    }

    /** The ingress, each A's way out through its sidecar, and one whole transaction. */
    @Override
    public List<URI> readinessChecks() {
        List<URI> checks = new ArrayList<>(List.of(URI.create(entry() + HealthChecks.PATH)));
        for (int i = 1; i <= lab.servers(); i++) {
            checks.add(URI.create(outboundUrl(Addresses.service('a', i)) + HealthChecks.PATH));
        }
        checks.add(URI.create(entry() + "/chain?cost=0"));
        return checks;
    }

    @Override
    public List<String> notInRotation(Instance instance) {
        return runtime.notUp(instance.name());
    }

    @Override
    public void close() {
        runtime.delete();
    }
}

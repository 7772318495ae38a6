package dev.peak.k8s;

import static dev.peak.k8s.Rendered.container;
import static dev.peak.k8s.Rendered.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** k8s/overlays/proxy (HAProxy) and proxy-nginx: the RI1 counterpart. */
class ProxyOverlayTest {

    private final Rendered haproxy = Rendered.of(Rendered.PROXY);
    private final Rendered nginx = Rendered.of(Rendered.PROXY_NGINX);

    @Test
    void theDeploymentSaysWhichProxyItRuns() {
        assertEquals("haproxy", haproxy.deployment("proxy").getMetadata().getLabels().get("peak.dev/proxy"));
        assertTrue(container(haproxy.deployment("proxy")).getImage().startsWith("haproxy:"));
        assertEquals("nginx", nginx.deployment("proxy").getMetadata().getLabels().get("peak.dev/proxy"));
        assertTrue(container(nginx.deployment("proxy")).getImage().startsWith("nginxinc/nginx-unprivileged:"));
    }

    @Test
    void proxiesFindTheServersOfTheirOwnNamespace() {
        // the configurations name the headless Service by its cluster-DNS name, which includes the namespace
        String fqdn = "a." + haproxy.namespace() + ".svc.cluster.local:8080";
        assertTrue(config(haproxy, "haproxy.cfg").contains("server-template a 64 " + fqdn), "haproxy.cfg resolves " + fqdn);
        assertTrue(config(nginx, "nginx.conf.template").contains("server " + fqdn + " resolve"), "nginx resolves " + fqdn);
        assertEquals("None", haproxy.service("a").getSpec().getClusterIP(), "one DNS record per pod");
    }

    @Test
    void proxiesGetOneThreadPerCpuOfTheirBudget() {
        assertTrue(config(haproxy, "haproxy.cfg").contains("\n    nbthread " + cpus(haproxy) + "\n"));
        assertTrue(config(nginx, "nginx.conf.template").contains("\nworker_processes " + cpus(nginx) + ";\n"));
    }

    @Test
    void haproxyAcceptsItsConfiguration() throws IOException {
        Path cfg = Files.createTempFile("haproxy-", ".cfg");
        try {
            Files.writeString(cfg, config(haproxy, "haproxy.cfg"));
            Command check;
            try {
                check = Command.run(List.of("haproxy", "-c", "-f", cfg.toString()), Map.of());
            } catch (IOException e) {
                throw new AssertionError("haproxy is missing: apt-get install haproxy (make test installs it as root)", e);
            }
            assertEquals(0, check.exit(), check.all());
        } finally {
            Files.delete(cfg);
        }
    }

    @Test
    void bInternalEndpointIsOff() {
        assertEquals("false", env(haproxy.deployment("service-b"), "PEAK_B_INTERNAL_ENABLED"));
        assertEquals("false", env(nginx.deployment("service-b"), "PEAK_B_INTERNAL_ENABLED"));
    }

    /** The proxy's file from the ConfigMap the Deployment mounts. */
    private static String config(Rendered variant, String key) {
        Deployment proxy = variant.deployment("proxy");
        String name = proxy.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .findFirst().orElseThrow().getConfigMap().getName();
        String data = variant.one(ConfigMap.class, name).getData().get(key);
        assertTrue(data != null, variant + ": ConfigMap " + name + " has no " + key + " (keys: "
                + variant.one(ConfigMap.class, name).getData().keySet() + ")");
        return data;
    }

    private static String cpus(Rendered variant) {
        return container(variant.deployment("proxy")).getResources().getLimits().get("cpu").getAmount();
    }

}

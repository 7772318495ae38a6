package dev.peak.k8s;

import static dev.peak.k8s.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * docs/architecture.md, Fairness rules: the same server budget in every variant, and the same budget for every load
 * balancer: a
 * peak-dns replica, a proxy replica, a mesh sidecar and an ingress-gateway replica; as many balancer
 * replicas in front of the servers in each variant.
 */
class BudgetParityTest {


    @Test
    void serversHaveTheSameBudgetInEveryVariant() {
        ResourceRequirements expected = container(Rendered.of(Rendered.PEAK).deployment("service-a")).getResources();
        for (Rendered variant : Rendered.all()) {
            for (String server : Rendered.SERVERS) {
                assertEquals(expected, container(variant.deployment(server)).getResources(), variant + " " + server);
            }
        }
    }

    @Test
    void everyLoadBalancerHasTheBudgetOfAPeakDnsReplica() throws IOException {
        Map<String, Quantity> dns = container(Rendered.of(Rendered.PEAK).deployment("peak-dns")).getResources().getLimits();
        assertEquals(dns, container(Rendered.of(Rendered.PROXY).deployment("proxy")).getResources().getLimits(), "HAProxy");
        assertEquals(dns, container(Rendered.of(Rendered.PROXY_NGINX).deployment("proxy")).getResources().getLimits(), "nginx");
        for (Deployment d : Rendered.of(Rendered.MESH).all(Deployment.class)) {
            Map<String, String> a = d.getSpec().getTemplate().getMetadata().getAnnotations();
            String name = "sidecar of " + d.getMetadata().getName();
            assertEquals(dns.get("cpu"), new Quantity(a.get("sidecar.istio.io/proxyCPU")), name);
            assertEquals(dns.get("cpu"), new Quantity(a.get("sidecar.istio.io/proxyCPULimit")), name);
            assertEquals(dns.get("memory"), new Quantity(a.get("sidecar.istio.io/proxyMemory")), name);
            assertEquals(dns.get("memory"), new Quantity(a.get("sidecar.istio.io/proxyMemoryLimit")), name);
            assertTrue(a.get("proxy.istio.io/config").contains("concurrency: " + dns.get("cpu").getAmount()),
                    name + ": one worker per CPU");
        }
        JsonNode gateway = ingressGateway();
        JsonNode resources = gateway.path("k8s").path("resources");
        assertEquals(resources.path("limits"), resources.path("requests"), "gateway requests = limits");
        assertEquals(dns.get("cpu"), new Quantity(resources.path("limits").path("cpu").asText()), "gateway CPU");
        assertEquals(dns.get("memory"), new Quantity(resources.path("limits").path("memory").asText()), "gateway memory");
        assertTrue(gateway.path("k8s").path("podAnnotations").path("proxy.istio.io/config").asText()
                .contains("concurrency: " + dns.get("cpu").getAmount()), "gateway: one worker per CPU");
    }

    @Test
    void everyVariantPutsAsManyBalancerReplicasInFrontOfTheServers() throws IOException {
        int dns = Rendered.of(Rendered.PEAK).deployment("peak-dns").getSpec().getReplicas();
        assertEquals(dns, Rendered.of(Rendered.PROXY).deployment("proxy").getSpec().getReplicas(), "HAProxy");
        assertEquals(dns, Rendered.of(Rendered.PROXY_NGINX).deployment("proxy").getSpec().getReplicas(), "nginx");
        assertEquals(dns, ingressGateway().path("k8s").path("replicaCount").asInt(), "ingress gateway");
        assertEquals(false, istioInstall().path("spec").path("values").path("gateways").path("istio-ingressgateway")
                .path("autoscaleEnabled").asBoolean(true), "the gateway must not autoscale away from the budget");
    }

    private static JsonNode ingressGateway() throws IOException {
        for (JsonNode gateway : istioInstall().path("spec").path("components").path("ingressGateways")) {
            if ("istio-ingressgateway".equals(gateway.path("name").asText())) {
                return gateway;
            }
        }
        throw new AssertionError("mesh-variant/istio/install.yaml has no istio-ingressgateway");
    }

    private static JsonNode istioInstall() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Kustomize.file("mesh-variant/istio/install.yaml").toFile());
    }
}

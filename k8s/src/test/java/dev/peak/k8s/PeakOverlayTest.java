package dev.peak.k8s;

import static dev.peak.k8s.Rendered.container;
import static dev.peak.k8s.Rendered.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

/** k8s/overlays/peak: peak-dns and the servers, nothing in between (docs/architecture.md: Kubernetes and Istio). */
class PeakOverlayTest {

    private final Rendered peak = Rendered.of(Rendered.PEAK);

    @Test
    void nothingProxiesThePeakPath() {
        for (HasMetadata object : peak.objects()) {
            String name = object.getKind() + " " + object.getMetadata().getName();
            assertFalse(object.getApiVersion().contains("istio.io"), name + " is a mesh resource");
            assertFalse(Set.of("Ingress", "Gateway", "HTTPRoute").contains(object.getKind()), name + " is an ingress");
        }
        for (Deployment d : peak.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                assertTrue(c.getImage().startsWith("peak/"), d.getMetadata().getName() + " runs " + c.getImage());
            }
            assertFalse(d.getSpec().getTemplate().getMetadata().getAnnotations() != null
                    && d.getSpec().getTemplate().getMetadata().getAnnotations().keySet().stream().anyMatch(k -> k.contains("istio")),
                    d.getMetadata().getName() + " has Istio annotations");
        }
        Map<String, String> nsLabels = peak.all(Namespace.class).get(0).getMetadata().getLabels();
        assertFalse(nsLabels.containsKey("istio-injection") || nsLabels.containsKey("istio.io/rev"), "namespace injects sidecars");
        // the servers have no virtual IP: no kube-proxy balancing either; peak-dns's Service is the only entry
        assertEquals("None", peak.service("a").getSpec().getClusterIP());
        assertEquals("None", peak.service("b").getSpec().getClusterIP());
        assertEquals(List.of("peak-dns"), peak.all(Service.class).stream()
                .filter(s -> "LoadBalancer".equals(s.getSpec().getType())).map(s -> s.getMetadata().getName()).toList());
    }

    @Test
    void serverServicesAreLabelledForPeakDnsAndSelectTheServers() {
        Map<String, String> expected = Map.of("a", "service-a", "b", "service-b");
        expected.forEach((serviceName, deployment) -> {
            Service service = peak.service(serviceName);
            assertEquals("true", service.getMetadata().getLabels().get("peak.dev/dns"), serviceName);
            Map<String, String> podLabels = peak.deployment(deployment).getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                    "Service " + serviceName + " does not select " + deployment + "'s pods");
            assertEquals(8080, service.getSpec().getPorts().get(0).getPort());
        });
    }

    @Test
    void peakDnsDiscoversThroughKubernetesOnItsContainerPort() {
        Deployment dns = peak.deployment("peak-dns");
        assertTrue(List.of(env(dns, "PEAK_DNS_DISCOVERY").split(",")).contains("kubernetes"));
        String port = env(dns, "PEAK_DNS_PORT");
        for (ContainerPort p : container(dns).getPorts()) {
            if (p.getName().startsWith("dns-")) {
                assertEquals(port, String.valueOf(p.getContainerPort()), p.getName());
            }
        }
        assertTrue(env(dns, "PEAK_DNS_ZONE").endsWith("."), "the zone is absolute");
    }

    @Test
    void peakDnsServesUdpAndTcpOnPort53() {
        Service service = peak.service("peak-dns");
        assertEquals("LoadBalancer", service.getSpec().getType());
        Map<String, ContainerPort> containerPorts = container(peak.deployment("peak-dns")).getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, p -> p));
        Set<String> protocols = service.getSpec().getPorts().stream().filter(p -> p.getPort() == 53).map(ServicePort::getProtocol)
                .collect(Collectors.toSet());
        assertEquals(Set.of("UDP", "TCP"), protocols);
        for (ServicePort p : service.getSpec().getPorts()) {
            ContainerPort target = containerPorts.get(p.getTargetPort().getStrVal());
            assertNotNull(target, "Service port " + p.getName() + " targets no container port");
            assertEquals(p.getProtocol(), target.getProtocol(), p.getName());
        }
        Map<String, String> podLabels = peak.deployment("peak-dns").getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    }

    @Test
    void peakDnsMayReadServicesAndEndpointSlicesAndNothingElse() {
        Deployment dns = peak.deployment("peak-dns");
        String account = dns.getSpec().getTemplate().getSpec().getServiceAccountName();
        RoleBinding binding = peak.all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && account.equals(s.getName()) && peak.namespace().equals(s.getNamespace())))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for ServiceAccount " + account));
        assertEquals("Role", binding.getRoleRef().getKind());
        Role role = peak.one(Role.class, binding.getRoleRef().getName());
        Map<String, List<String>> granted = role.getRules().stream().collect(Collectors.toMap(
                r -> r.getApiGroups().get(0) + "/" + String.join(",", r.getResources()), PolicyRule::getVerbs));
        assertEquals(Map.of("/services", List.of("get", "list", "watch"),
                "discovery.k8s.io/endpointslices", List.of("get", "list", "watch")), granted);
    }

    @Test
    void peakDnsReplicasSurviveTheLossOfOne() {
        Deployment dns = peak.deployment("peak-dns");
        assertTrue(dns.getSpec().getReplicas() >= 2, "at least two replicas");
        assertNotNull(dns.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity(), "replicas spread over nodes");
    }

    @Test
    void bInternalEndpointIsOff() {
        assertEquals("false", env(peak.deployment("service-b"), "PEAK_B_INTERNAL_ENABLED"));
    }

    @Test
    void networkPolicyOpensDnsToAllAndTheAdminPortToAdminClientsOnly() {
        NetworkPolicy policy = peak.one(NetworkPolicy.class, "peak-dns");
        Deployment dns = peak.deployment("peak-dns");
        assertTrue(dns.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet()), "the policy selects peak-dns's pods");
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        Set<String> containerPorts = container(dns).getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
        Map<String, List<NetworkPolicyPeer>> fromByPort = new java.util.HashMap<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            for (NetworkPolicyPort port : rule.getPorts()) {
                String name = port.getPort().getStrVal();
                assertTrue(containerPorts.contains(name), "the policy names port " + name + ", which peak-dns does not have");
                fromByPort.put(name, rule.getFrom() == null ? List.of() : rule.getFrom());
            }
        }
        assertEquals(containerPorts, fromByPort.keySet(), "every port of peak-dns has a rule");
        assertTrue(fromByPort.get("dns-udp").isEmpty() && fromByPort.get("dns-tcp").isEmpty(), "DNS is open to every client");
        List<NetworkPolicyPeer> admin = fromByPort.get("admin");
        assertFalse(admin.isEmpty(), "the admin port is not open to all");
        for (NetworkPolicyPeer peer : admin) {
            assertEquals(Map.of("peak.dev/admin-client", "true"), peer.getPodSelector().getMatchLabels(), "admin clients only");
            assertTrue(peer.getIpBlock() == null, "no address block reaches the admin port");
        }
    }
}

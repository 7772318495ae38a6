package dev.peak.k8s;

import static dev.peak.k8s.Rendered.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.Sidecar;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** mesh-variant: the Istio counterpart of RI2 (docs/architecture.md: Kubernetes and Istio). */
class MeshVariantTest {

    private final Rendered mesh = Rendered.of(Rendered.MESH);

    @Test
    void everyPodOfTheNamespaceGetsASidecar() {
        assertEquals("enabled", mesh.all(Namespace.class).get(0).getMetadata().getLabels().get("istio-injection"));
    }

    @Test
    void mutualTlsIsStrictForTheWholeNamespace() {
        List<PeerAuthentication> policies = mesh.all(PeerAuthentication.class);
        assertEquals(1, policies.size());
        assertNull(policies.get(0).getSpec().getSelector(), "namespace-wide: no workload selector");
        assertTrue(policies.get(0).getSpec().getPortLevelMtls() == null || policies.get(0).getSpec().getPortLevelMtls().isEmpty(),
                "no port is exempt");
        assertEquals(PeerAuthenticationMutualTLSMode.STRICT, policies.get(0).getSpec().getMtls().getMode());
        assertEquals(ClientTLSSettingsTLSmode.ISTIO_MUTUAL, serverTraffic().getTls().getMode());
    }

    @Test
    void onlyServiceAsIdentityMayCallBsInternalEndpoint() {
        String aAccount = mesh.deployment("service-a").getSpec().getTemplate().getSpec().getServiceAccountName();
        String bAccount = mesh.deployment("service-b").getSpec().getTemplate().getSpec().getServiceAccountName();
        assertNotNull(aAccount);
        assertFalse(aAccount.equals(bAccount), "A and B need distinct identities");

        // deny by default: a namespace-wide policy with no rules allows nothing
        assertTrue(mesh.all(AuthorizationPolicy.class).stream().anyMatch(p -> p.getSpec().getSelector() == null
                && p.getSpec().getAction() == null && (p.getSpec().getRules() == null || p.getSpec().getRules().isEmpty())),
                "no allow-nothing policy");
        Map<String, String> bPods = mesh.deployment("service-b").getSpec().getTemplate().getMetadata().getLabels();
        List<AuthorizationPolicy> forB = mesh.all(AuthorizationPolicy.class).stream()
                .filter(p -> p.getSpec().getSelector() == null
                        || bPods.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()))
                .filter(p -> p.getSpec().getRules() != null && !p.getSpec().getRules().isEmpty())
                .toList();
        assertEquals(1, forB.size(), "exactly one policy admits anything to B");
        assertEquals(AuthorizationPolicyAction.ALLOW, forB.get(0).getSpec().getAction());
        for (Rule rule : forB.get(0).getSpec().getRules()) {
            assertEquals(List.of("cluster.local/ns/" + mesh.namespace() + "/sa/" + aAccount),
                    rule.getFrom().get(0).getSource().getPrincipals(), "only A's identity");
            assertEquals(1, rule.getFrom().size());
            for (var to : rule.getTo()) {
                assertTrue(to.getOperation().getPaths().stream().allMatch(path -> path.startsWith("/internal/")),
                        "only the internal endpoint: " + to.getOperation().getPaths());
            }
        }
    }

    @Test
    void clientsEnterThroughTheGatewayToServiceA() {
        Gateway gateway = mesh.one(Gateway.class, "peak-gateway");
        assertEquals(Map.of("istio", "ingressgateway"), gateway.getSpec().getSelector());
        VirtualService route = mesh.all(VirtualService.class).get(0);
        assertEquals(List.of("peak-gateway"), route.getSpec().getGateways());
        var destination = route.getSpec().getHttp().get(0).getRoute().get(0).getDestination();
        assertEquals("a", destination.getHost());
        assertEquals(mesh.service("a").getSpec().getPorts().get(0).getPort().longValue(), destination.getPort().getNumber());
        Map<String, String> aPods = mesh.deployment("service-a").getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(mesh.all(AuthorizationPolicy.class).stream().anyMatch(p -> p.getSpec().getSelector() != null
                && aPods.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet())
                && p.getSpec().getRules().get(0).getFrom().get(0).getSource().getPrincipals().get(0).contains("/sa/istio-ingressgateway")),
                "the gateway is allowed to reach A");
    }

    @Test
    void serversAreBalancedByLeastRequestWithOutlierDetection() {
        TrafficPolicy traffic = serverTraffic();
        assertEquals(LoadBalancerSettingsSimpleLB.LEAST_REQUEST,
                assertInstanceOf(LoadBalancerSettingsSimple.class, traffic.getLoadBalancer().getLbPolicy()).getSimple());
        assertNotNull(traffic.getConnectionPool().getTcp().getMaxConnections());
        assertNotNull(traffic.getConnectionPool().getHttp().getHttp1MaxPendingRequests());
        assertEquals(2, traffic.getOutlierDetection().getConsecutiveGatewayErrors());
        assertEquals("1s", traffic.getOutlierDetection().getInterval());
        // the mesh balances only over Services that have a virtual IP; with one, both are plain HTTP ports
        for (String name : List.of("a", "b")) {
            Service service = mesh.service(name);
            assertNull(service.getSpec().getClusterIP(), name + " must not be headless in the mesh");
            assertEquals("http", service.getSpec().getPorts().get(0).getAppProtocol());
            assertNull(service.getMetadata().getLabels().get("peak.dev/dns"), "no peak-dns in the mesh");
        }
    }

    @Test
    void serviceACallsBThroughTheMesh() {
        URI b = URI.create(env(mesh.deployment("service-a"), "PEAK_B_URL"));
        Service service = mesh.service(b.getHost());
        assertEquals(service.getSpec().getPorts().get(0).getPort(), b.getPort());
        assertEquals("true", env(mesh.deployment("service-b"), "PEAK_B_INTERNAL_ENABLED"));
    }

    @Test
    void sidecarsSeeOnlyTheirNamespaceAndTheControlPlane() {
        List<Sidecar> sidecars = mesh.all(Sidecar.class);
        assertEquals(1, sidecars.size());
        assertNull(sidecars.get(0).getSpec().getWorkloadSelector(), "the namespace's default");
        assertEquals(List.of("./*", "istio-system/*"), sidecars.get(0).getSpec().getEgress().get(0).getHosts());
    }

    @Test
    void sidecarsStartBeforeTheApplication() {
        for (Deployment d : mesh.all(Deployment.class)) {
            String config = d.getSpec().getTemplate().getMetadata().getAnnotations().get("proxy.istio.io/config");
            assertTrue(config != null && config.contains("holdApplicationUntilProxyStarts: true"), d.getMetadata().getName());
        }
    }

    /** The one DestinationRule, which covers every Service of the namespace. */
    private TrafficPolicy serverTraffic() {
        List<DestinationRule> rules = mesh.all(DestinationRule.class);
        assertEquals(1, rules.size());
        assertEquals("*." + mesh.namespace() + ".svc.cluster.local", rules.get(0).getSpec().getHost());
        return rules.get(0).getSpec().getTrafficPolicy();
    }
}

package dev.peak.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.peak.driver.variant.Variant;

/** The deployed variants as the experiment drives them, against fabric8's mock API server (CRUD). */
@EnableKubernetesMockClient(crud = true)
class KubernetesVariantTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    private static final String NAME = KubernetesVariant.NAME_LABEL;

    KubernetesClient client;

    /** The variant with the 2 servers per service the fixture deploys: nothing to wait for, no rise time. */
    private KubernetesVariant prepare(Variant variant) {
        return KubernetesVariant.prepare(client, variant, 2, 1, READY_TIMEOUT, Duration.ZERO);
    }

    // ---- scaling --------------------------------------------------------------------------------------

    @Test
    void scaleToSetsEveryServicesReplicasAndReturnsOnlyOnceThatManyPodsAreReady() throws Exception {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri2 = prepare(Variant.RI2_PEAK)) {
            CompletableFuture<Void> scaling = CompletableFuture.runAsync(() -> ri2.scaleTo(3));
            awaitReplicas("peak", "service-b", 3);
            assertEquals(3, Cluster.replicas(client, "peak", "service-a"));
            Cluster.rollOut(client, "peak", "service-a");
            assertFalse(scaling.isDone(), "returned while service-b had 2 of 3 pods Ready");

            Cluster.rollOut(client, "peak", "service-b");
            scaling.get(5, TimeUnit.SECONDS);

            assertEquals(3, ri2.servers());
        }
    }

    @Test
    void aDeploymentThatDoesNotBecomeReadyStopsTheWaitWithItsReadyCount() {
        Cluster.deployPeak(client, null);

        ClusterException e = assertThrows(ClusterException.class, () -> KubernetesVariant.prepare(client,
                Variant.RI1_PEAK, 3, 1, Duration.ofSeconds(1), Duration.ZERO));

        assertEquals("Deployment service-a in namespace peak has 2 of 3 pods Ready after 1 s (waited for 3 Ready pods "
                + "of its current spec): see `kubectl -n peak describe deployment service-a`", e.getMessage());
    }

    @Test
    void closeRestoresTheReplicaCountsFoundAtStart() throws Exception {
        Cluster.deployPeak(client, null);
        KubernetesVariant ri2 = prepare(Variant.RI2_PEAK);
        CompletableFuture<Void> scaling = CompletableFuture.runAsync(() -> ri2.scaleTo(4));
        awaitReplicas("peak", "service-b", 4);
        Cluster.rollOut(client, "peak", "service-a");
        Cluster.rollOut(client, "peak", "service-b");
        scaling.get(5, TimeUnit.SECONDS);

        ri2.close();

        assertEquals(2, Cluster.replicas(client, "peak", "service-a"));
        assertEquals(2, Cluster.replicas(client, "peak", "service-b"));
        assertEquals(2, Cluster.replicas(client, "peak", "peak-dns"), "only the servers are scaled");
    }

    // ---- faults ---------------------------------------------------------------------------------------

    @Test
    void killingAServerDeletesExactlyOneReadyPodOfThatServicesDeployment() {
        Cluster.deployPeak(client, null);
        Cluster.pod(client, "peak", "service-b-3", Map.of(NAME, "service-b"), false);
        try (KubernetesVariant ri2 = prepare(Variant.RI2_PEAK)) {
            ri2.kill("b-2");
        }

        List<String> b = Cluster.podNames(client, "peak", NAME, "service-b");
        assertEquals(2, b.size(), "one of service-b's pods deleted: " + b);
        assertTrue(b.contains("service-b-3"), "a pod that is not Ready is not the one killed");
        assertEquals(List.of("service-a-1", "service-a-2"), Cluster.podNames(client, "peak", NAME, "service-a"));
    }

    @Test
    void killingAPodByItsInstanceIdDeletesThatPod() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri1 = prepare(Variant.RI1_PEAK)) {
            ri1.kill("service-a-1");
        }

        assertEquals(List.of("service-a-2"), Cluster.podNames(client, "peak", NAME, "service-a"));
    }

    @Test
    void killProxyDeletesOneProxyPodAndNoServer() {
        Cluster.deployProxy(client, "haproxy");
        try (KubernetesVariant haproxy = prepare(Variant.RI1_HAPROXY)) {
            haproxy.killProxy();
        }

        assertEquals(1, Cluster.podNames(client, "peak-proxy", NAME, "proxy").size());
        assertEquals(2, Cluster.podNames(client, "peak-proxy", NAME, "service-a").size());
    }

    @Test
    void killProxyOnTheMeshDeletesOneIngressGatewayPod() {
        Cluster.deployMesh(client);
        try (KubernetesVariant mesh = prepare(Variant.RI2_MESH)) {
            mesh.killProxy();
        }

        assertEquals(1, Cluster.podNames(client, KubernetesVariant.ISTIO_NAMESPACE, KubernetesVariant.INGRESS_GATEWAY_LABEL,
                KubernetesVariant.INGRESS_GATEWAY_LABEL_VALUE).size());
        assertEquals(2, Cluster.podNames(client, "peak-mesh", NAME, "service-a").size());
    }

    @Test
    void killDnsReplicaDeletesOnePeakDnsPod() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri1 = KubernetesVariant.prepare(client, Variant.RI1_PEAK, 2, 2, READY_TIMEOUT,
                Duration.ZERO)) {
            ri1.killDnsReplica(1);
        }

        assertEquals(List.of("peak-dns-2"), Cluster.podNames(client, "peak", NAME, "peak-dns"));
    }

    @Test
    void peakHasNoProxyToKill() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri1 = prepare(Variant.RI1_PEAK)) {
            assertThrows(IllegalStateException.class, ri1::killProxy);
        }
    }

    // ---- what the load generator sees -----------------------------------------------------------------------

    @Test
    void peakEntriesAreNamesInPeakDnsZoneResolvedAtItsLoadBalancerAddresses() {
        Cluster.deployPeak(client, "bench.example.");
        Map<String, String> env;
        try (KubernetesVariant ri2 = prepare(Variant.RI2_PEAK)) {
            env = ri2.environment();
        }

        assertEquals("http://a.bench.example:8080", env.get("PEAK_ENTRY"));
        assertEquals("http://b.bench.example:8080", env.get("PEAK_ENTRY_B"));
        assertEquals("bench.example.", env.get("PEAK_ZONE"));
        assertEquals(String.join(" ", Cluster.PEAK_DNS_ADDRESSES), env.get("PEAK_DNS_SERVERS"));
        assertEquals(Cluster.PEAK_DNS_ADDRESSES.get(0), env.get("PEAK_DNS"));
        assertEquals(4, env.get("PEAK_INSTANCES").split(" ").length, env.get("PEAK_INSTANCES"));
    }

    @Test
    void peakDnsWithoutAZoneVariableServesPeakTest() {
        Cluster.deployPeak(client, null);
        Map<String, String> env;
        try (KubernetesVariant ri1 = prepare(Variant.RI1_PEAK)) {
            env = ri1.environment();
        }

        assertEquals("http://a.peak.test:8080", env.get("PEAK_ENTRY"));
        assertFalse(env.containsKey("PEAK_ENTRY_B"));
    }

    @Test
    void proxyAndMeshEntriesAreTheirLoadBalancerAddresses() {
        Cluster.deployProxy(client, "nginx");
        Cluster.deployMesh(client);
        List<Map<String, String>> envs = new ArrayList<>();
        try (KubernetesVariant nginx = prepare(Variant.RI1_NGINX); KubernetesVariant mesh = prepare(Variant.RI2_MESH)) {
            envs.add(nginx.environment());
            envs.add(mesh.environment());
        }

        assertEquals("http://[" + Cluster.PROXY_ADDRESS + "]:8080", envs.get(0).get("PEAK_ENTRY"));
        assertEquals("http://[" + Cluster.GATEWAY_ADDRESS + "]:80", envs.get(1).get("PEAK_ENTRY"));
        assertFalse(envs.get(1).containsKey("PEAK_DNS_SERVERS"));
    }

    @Test
    void asLoadLeavesTheCommandAsItIs() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri1 = prepare(Variant.RI1_PEAK)) {
            assertEquals(List.of("java", "-version"), ri1.asLoad(List.of("java", "-version")));
        }
    }

    // ---- what must be deployed ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ri1-peak    | namespace peak does not exist: deploy ri1-peak first with `make deploy-peak`
            ri2-peak    | namespace peak does not exist: deploy ri2-peak first with `make deploy-peak`
            ri1-haproxy | namespace peak-proxy does not exist: deploy ri1-haproxy first with `make deploy-proxy`
            ri1-nginx   | namespace peak-proxy does not exist: deploy ri1-nginx first with `make deploy-proxy PROXY=nginx`
            ri2-mesh    | namespace peak-mesh does not exist: deploy ri2-mesh first with `make deploy-mesh`
            """)
    void aMissingNamespaceNamesTheMakeTargetThatDeploysIt(String variant, String message) {
        ClusterException e = assertThrows(ClusterException.class, () -> prepare(Variant.of(variant)));

        assertEquals(message, e.getMessage());
    }

    @Test
    void aMissingDeploymentNamesTheMakeTargetThatDeploysIt() {
        Cluster.deployPeak(client, null);
        client.apps().deployments().inNamespace("peak").withName("service-b").delete();

        ClusterException e = assertThrows(ClusterException.class, () -> prepare(Variant.RI2_PEAK));

        assertEquals("namespace peak has no Deployment service-b: deploy ri2-peak first with `make deploy-peak`",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0} deployed, {1} asked")
    @CsvSource(delimiter = '|', textBlock = """
            haproxy | ri1-nginx   | namespace peak-proxy runs haproxy, ri1-nginx needs nginx: redeploy the proxy with `make deploy-proxy PROXY=nginx`
            nginx   | ri1-haproxy | namespace peak-proxy runs nginx, ri1-haproxy needs haproxy: redeploy the proxy with `make deploy-proxy`
            """)
    void aProxyOfTheOtherKindNamesTheMakeTargetThatDeploysTheRightOne(String deployed, String variant, String message) {
        Cluster.deployProxy(client, deployed);

        ClusterException e = assertThrows(ClusterException.class, () -> prepare(Variant.of(variant)));

        assertEquals(message, e.getMessage());
    }

    @Test
    void theMeshWithoutIstiosIngressGatewaySaysToInstallIstio() {
        Cluster.deployMesh(client);
        client.services().inNamespace(KubernetesVariant.ISTIO_NAMESPACE).withName(KubernetesVariant.INGRESS_GATEWAY).delete();

        ClusterException e = assertThrows(ClusterException.class, () -> prepare(Variant.RI2_MESH));

        assertTrue(e.getMessage().startsWith("Istio's ingress gateway (Service istio-ingressgateway in namespace "
                + "istio-system) is missing: install Istio"), e.getMessage());
        assertTrue(e.getMessage().endsWith("`make deploy-mesh`"), e.getMessage());
    }

    @Test
    void tooFewPeakDnsReplicasForTheReplicaFaultSayHowMany() {
        Cluster.deployPeak(client, null);

        ClusterException e = assertThrows(ClusterException.class, () -> KubernetesVariant.prepare(client,
                Variant.RI1_PEAK, 2, 3, READY_TIMEOUT, Duration.ZERO));

        assertTrue(e.getMessage().startsWith("Deployment peak-dns in namespace peak has 2 replica(s), the experiment needs 3"),
                e.getMessage());
    }

    @Test
    void aLoadBalancerWithoutAnAddressStopsWithWhatTheClusterLacks() {
        Cluster.deployPeak(client, null);
        client.services().inNamespace("peak").withName("peak-dns").editStatus(s -> {
            s.getStatus().getLoadBalancer().setIngress(List.of());
            return s;
        });

        ClusterException e = assertThrows(ClusterException.class, () -> KubernetesVariant.prepare(client,
                Variant.RI1_PEAK, 2, 1, Duration.ofSeconds(1), Duration.ZERO));

        assertTrue(e.getMessage().startsWith("the LoadBalancer Service peak-dns in namespace peak has no external address "
                + "after 1 s: the cluster needs a load balancer implementation"), e.getMessage());
    }

    @Test
    void theManifestGetsTheContainersCpuLimitsAndImages() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri2 = prepare(Variant.RI2_PEAK)) {
            assertEquals(Map.of("peak/service-a", 0.5, "peak/service-b", 0.5, "peak/peak-dns", 0.5), ri2.cpuLimits());
            assertEquals("peak/peak-dns:test", ri2.images().get("peak/peak-dns"));
        }
    }

    @Test
    void theManifestGetsTheImageDigestsThePodsRun() {
        Cluster.deployPeak(client, null);
        try (KubernetesVariant ri2 = prepare(Variant.RI2_PEAK)) {
            assertEquals(Map.of("peak/service-a", Cluster.runningImage("service-a"), "peak/service-b",
                    Cluster.runningImage("service-b"), "peak/peak-dns", Cluster.runningImage("peak-dns")), ri2.runningImages());
        }
    }

    private void awaitReplicas(String namespace, String name, int replicas) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Cluster.replicas(client, namespace, name) != replicas) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not scaled to " + replicas);
            }
            Thread.sleep(10);
        }
    }
}

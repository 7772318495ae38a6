package dev.peak.driver.kubernetes;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The variants as k8s/ and mesh-variant/ deploy them, in the fabric8 mock server: namespaces, Deployments whose
 * status the tests play the controller for, LoadBalancer Services with their addresses, and pods.
 */
final class Cluster {

    /** Addresses from the documentation prefix: nothing here connects to them. */
    static final List<String> PEAK_DNS_ADDRESSES = List.of("2001:db8:53::1", "2001:db8:53::2");
    static final String PROXY_ADDRESS = "2001:db8:e::1";
    static final String GATEWAY_ADDRESS = "2001:db8:e::2";

    private Cluster() {
    }

    /** make deploy-peak: A and B with two pods each, two peak-dns replicas serving {@code zone} (null: unset). */
    static void deployPeak(KubernetesClient client, String zone) {
        namespace(client, "peak");
        servers(client, "peak");
        Deployment dns = deployment("peak-dns", 2, Map.of());
        if (zone != null) {
            dns.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                    .add(new EnvVar(KubernetesVariant.ZONE_VARIABLE, zone, null));
        }
        client.apps().deployments().inNamespace("peak").resource(dns).create();
        pods(client, "peak", "peak-dns", 2);
        loadBalancer(client, "peak", "peak-dns", PEAK_DNS_ADDRESSES);
    }

    /** make deploy-proxy [PROXY=nginx]: A and B, two proxy pods of {@code kind}. */
    static void deployProxy(KubernetesClient client, String kind) {
        namespace(client, "peak-proxy");
        servers(client, "peak-proxy");
        client.apps().deployments().inNamespace("peak-proxy")
                .resource(deployment("proxy", 2, Map.of(KubernetesVariant.PROXY_KIND_LABEL, kind))).create();
        pods(client, "peak-proxy", "proxy", 2);
        loadBalancer(client, "peak-proxy", "proxy", List.of(PROXY_ADDRESS));
    }

    /** Istio with its ingress gateway (two pods), then make deploy-mesh. */
    static void deployMesh(KubernetesClient client) {
        namespace(client, "peak-mesh");
        servers(client, "peak-mesh");
        namespace(client, KubernetesVariant.ISTIO_NAMESPACE);
        for (int i = 1; i <= 2; i++) {
            pod(client, KubernetesVariant.ISTIO_NAMESPACE, "istio-ingressgateway-" + i,
                    Map.of(KubernetesVariant.INGRESS_GATEWAY_LABEL, KubernetesVariant.INGRESS_GATEWAY_LABEL_VALUE), true);
        }
        loadBalancer(client, KubernetesVariant.ISTIO_NAMESPACE, KubernetesVariant.INGRESS_GATEWAY, List.of(GATEWAY_ADDRESS));
    }

    static void namespace(KubernetesClient client, String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static void servers(KubernetesClient client, String namespace) {
        for (String name : List.of("service-a", "service-b")) {
            client.apps().deployments().inNamespace(namespace).resource(deployment(name, 2, Map.of())).create();
            pods(client, namespace, name, 2);
        }
    }

    /** A Deployment whose pods carry the name label, its container limited to half a CPU, fully rolled out. */
    private static Deployment deployment(String name, int replicas, Map<String, String> labels) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).addToLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels(KubernetesVariant.NAME_LABEL, name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels(KubernetesVariant.NAME_LABEL, name).endMetadata()
                .withNewSpec().addToContainers(new ContainerBuilder().withName(name).withImage("peak/" + name + ":test")
                        .withNewResources().addToLimits("cpu", new Quantity("500m")).endResources().build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas).endStatus()
                .build();
    }

    /** What the Deployment controller and the kubelets do: every pod of the current spec exists and is Ready. */
    static void rollOut(KubernetesClient client, String namespace, String name) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> new DeploymentBuilder(d)
                .editStatus().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(d.getSpec().getReplicas()).withUpdatedReplicas(d.getSpec().getReplicas())
                .withReadyReplicas(d.getSpec().getReplicas()).endStatus().build());
    }

    static int replicas(KubernetesClient client, String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get().getSpec().getReplicas();
    }

    /** {@code count} Ready pods of a Deployment, each running {@link #runningImage} as its kubelet reports it. */
    private static void pods(KubernetesClient client, String namespace, String app, int count) {
        for (int i = 1; i <= count; i++) {
            pod(client, namespace, app + "-" + i, Map.of(KubernetesVariant.NAME_LABEL, app), true);
            client.pods().inNamespace(namespace).withName(app + "-" + i).editStatus(p -> new PodBuilder(p).editStatus()
                    .addNewContainerStatus().withName(app).withImageID(runningImage(app)).endContainerStatus()
                    .endStatus().build());
        }
    }

    /** The image digest a pod of {@code app} runs: what the registry served for its tag. */
    static String runningImage(String app) {
        return "registry.example/peak/" + app + "@sha256:" + "%064x".formatted(app.hashCode() & 0xffffffffL);
    }

    static void pod(KubernetesClient client, String namespace, String name, Map<String, String> labels, boolean ready) {
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).addToLabels(labels).endMetadata()
                .withNewStatus().withPhase("Running").withPodIP("2001:db8:10::" + Integer.toHexString(name.hashCode() & 0xffff))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus()
                .build()).create();
    }

    /** Pod names with the label, sorted. */
    static List<String> podNames(KubernetesClient client, String namespace, String label, String value) {
        return client.pods().inNamespace(namespace).withLabel(label, value).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private static void loadBalancer(KubernetesClient client, String namespace, String name, List<String> addresses) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").endSpec()
                .withNewStatus().withNewLoadBalancer()
                .addAllToIngress(addresses.stream().map(ip -> new LoadBalancerIngressBuilder()
                        .withIp(ip).build()).toList())
                .endLoadBalancer().endStatus()
                .build()).create();
    }
}

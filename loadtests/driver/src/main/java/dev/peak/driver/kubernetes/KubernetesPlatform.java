package dev.peak.driver.kubernetes;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.experiment.ExperimentOptions;
import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.LocalLoadGenerator;
import dev.peak.driver.experiment.Platform;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.variant.Variant;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * The variants as deployed on the cluster of the current kubeconfig context (docs/architecture.md: Kubernetes and
 * Istio), reached with fabric8
 * (no kubectl needed). The load comes from this machine, or from generator Jobs in the cluster.
 */
public final class KubernetesPlatform implements Platform {

    private final KubernetesClient client;
    private final String cluster;
    private final KubernetesOptions kubernetes;
    private final ExperimentOptions options;
    private final Map<String, Double> cpuLimits = new TreeMap<>();
    private final Map<String, String> images = new TreeMap<>();
    private final Map<String, String> runningImages = new TreeMap<>();

    private KubernetesPlatform(KubernetesClient client, String cluster, KubernetesOptions kubernetes,
                               ExperimentOptions options) {
        this.client = client;
        this.cluster = cluster;
        this.kubernetes = kubernetes;
        this.options = options;
    }

    /** The variants a cluster can run: all but ri1-direct. */
    public static List<Variant> variants() {
        return Arrays.stream(Variant.values()).filter(v -> v.cluster().isPresent()).toList();
    }

    /**
     * Connects to the cluster of the current kubeconfig context ({@code KUBECONFIG}, {@code ~/.kube/config}), after
     * checking every option and variant, so that nothing runs when one is wrong.
     */
    public static KubernetesPlatform connect(KubernetesOptions kubernetes, ExperimentOptions options) {
        options.variants().forEach(Layout::of);
        kubernetes.readyTimeout();
        kubernetes.riseWait();
        if (kubernetes.loadInCluster()) {
            kubernetes.loadPods();
            kubernetes.simulationsImage();
        }
        return connect(Config.autoConfigure(null), kubernetes, options);
    }

    static KubernetesPlatform connect(Config config, KubernetesOptions kubernetes, ExperimentOptions options) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String where = (config.getCurrentContext() == null ? "" : "context " + config.getCurrentContext().getName() + ", ")
                + config.getMasterUrl();
        try {
            // one attempt: the client's retries would spend some 20 s on a cluster that is not there
            String version = client.newClient(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).build())
                    .adapt(KubernetesClient.class).getKubernetesVersion().getGitVersion();
            return new KubernetesPlatform(client, where + ", Kubernetes " + version, kubernetes, options);
        } catch (KubernetesClientException e) {
            client.close();
            if (e.getCode() > 0) {
                throw new ClusterException("the Kubernetes API of the current context (" + where + ") answered "
                        + e.getCode() + " " + e.getStatus().getMessage() + ": check the context's credentials", e);
            }
            throw new ClusterException("no Kubernetes cluster reachable from the current context (" + where + ": "
                    + reason(e) + "): start one or set KUBECONFIG", e);
        }
    }

    /** Why the connection failed; the JDK's HTTP client leaves most of its exceptions without a message. */
    private static String reason(Throwable e) {
        Throwable root = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
            root = t;
        }
        if (root instanceof UnresolvedAddressException) {
            return "cannot resolve the server's name";
        }
        if (root instanceof ClosedChannelException) {
            return "connection refused";
        }
        return root.getClass().getSimpleName();
    }

    @Override
    public Kind kind() {
        return Kind.KUBERNETES;
    }

    @Override
    public SystemUnderTest start(Variant variant, CpuBudgets budgets, int servers, int dnsReplicas, String label) {
        KubernetesVariant deployed = KubernetesVariant.prepare(client, variant, servers, dnsReplicas,
                kubernetes.readyTimeout(), kubernetes.riseWait());
        cpuLimits.putAll(deployed.cpuLimits());
        images.putAll(deployed.images());
        runningImages.putAll(deployed.runningImages());
        return deployed;
    }

    @Override
    public LoadGenerator loadGenerator() {
        return kubernetes.loadInCluster()
                ? new ClusterLoadGenerator(client, kubernetes.simulationsImage(), kubernetes.loadPods(), options.budgets().load(),
                        kubernetes.readyTimeout())
                : new LocalLoadGenerator(options.projectRoot(), options.budgets(), true);
    }

    /** The cluster schedules pods by their requests: no budget check here. */
    @Override
    public java.util.OptionalInt systemCpus() {
        return java.util.OptionalInt.empty();
    }

    @Override
    public Setup setup() {
        Map<String, Double> budgets = new LinkedHashMap<>(cpuLimits);
        String load;
        if (kubernetes.loadInCluster()) {
            budgets.put("loadGenerator (each pod)", options.budgets().load());
            load = String.format(Locale.ROOT, "the load generators ran in the cluster, %d pod(s) per step with "
                    + "requests = limits = %.2f CPUs each", kubernetes.loadPods(), options.budgets().load());
        } else {
            load = "the load generator ran on the driver's machine, not budgeted (--cpus-load only sized its JVM and "
                    + "the generator-bound threshold)";
        }
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("kubernetes", cluster);
        images.forEach((container, image) -> versions.put("image " + container, image));
        runningImages.forEach((container, digests) -> versions.put("image running " + container, digests));
        List<String> notes = new ArrayList<>();
        notes.add("Ran on Kubernetes (" + cluster + ") against the variants deployed with make deploy-peak, deploy-proxy "
                + "and deploy-mesh; the driver changed only the replica counts of service-a and service-b, and restored them.");
        notes.add("ri2-mesh is Istio (Envoy sidecars and ingress gateway).");
        notes.add("A killed pod is replaced by its ReplicaSet: recovery on Kubernetes includes rescheduling and "
                + "starting a new pod, which the lab does not do.");
        notes.add("In the PEAK variants clients connect to the pods' own addresses, found through peak-dns's "
                + "LoadBalancer addresses.");
        if (!kubernetes.loadInCluster()) {
            notes.add("The machine figures are the driver's machine, where the load generator ran.");
        }
        return new Setup("kubernetes: requests = limits from the manifests; " + load, budgets, versions, notes);
    }

    @Override
    public void close() {
        client.close();
    }
}

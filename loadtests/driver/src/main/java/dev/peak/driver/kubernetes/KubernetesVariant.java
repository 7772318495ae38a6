package dev.peak.driver.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.peak.common.net.Hosts;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuReading;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.variant.Variant;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

/**
 * A variant deployed on the cluster beforehand ({@code make deploy-peak}, {@code make deploy-proxy},
 * {@code make deploy-mesh}), driven by changing its Deployments' replica counts and deleting pods; it never
 * applies manifests. {@link #close()} restores the replica counts it found (also on JVM shutdown, Ctrl-C).
 *
 * <p>Unlike in the lab, a killed pod does not stay dead: its ReplicaSet starts a replacement, so the recovery
 * measured on Kubernetes includes rescheduling and starting a new pod.
 *
 * <p>Longer than 400 lines because it is the cluster's whole {@link SystemUnderTest}: finding each variant's
 * Deployments, scaling and waiting on them, the faults, and the CPU readings, each small, all against one client.
 */
public final class KubernetesVariant implements SystemUnderTest {

    /** The label every pod of ours carries, and the Deployments select on. */
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String PEAK_DNS = "peak-dns";
    static final String PROXY = "proxy";
    /** On Deployment proxy: which proxy it runs, haproxy or nginx. */
    static final String PROXY_KIND_LABEL = "peak.dev/proxy";
    /** peak-dns's zone, an environment variable of its container (peak.dns.zone). */
    static final String ZONE_VARIABLE = "PEAK_DNS_ZONE";
    static final String ISTIO_NAMESPACE = "istio-system";
    static final String INGRESS_GATEWAY = "istio-ingressgateway";
    static final String INGRESS_GATEWAY_LABEL = "istio";
    static final String INGRESS_GATEWAY_LABEL_VALUE = "ingressgateway";
    /** The sidecar's CPU limit, set on the pod template for Istio's injector (mesh-variant/). */
    static final String SIDECAR_CPU_LIMIT = "sidecar.istio.io/proxyCPULimit";
    static final int SERVICE_PORT = 8080;
    static final int INGRESS_PORT = 80;
    /** The experiment's names for server instances: a-2 kills one A, b-2 one B. */
    private static final Pattern SERVER_INSTANCE = Pattern.compile("([ab])-\\d+");

    private final KubernetesClient client;
    private final Layout layout;
    private final Duration readyTimeout;
    private final Duration riseWait;
    private final Map<String, Integer> replicasAtStart = new LinkedHashMap<>();
    private final Map<String, Double> cpuLimits = new LinkedHashMap<>();
    private final Map<String, String> images = new LinkedHashMap<>();
    private final List<Deployment> recorded = new ArrayList<>();
    private final Map<String, Set<String>> runningImages = new TreeMap<>();
    private final Thread restoreOnExit = new Thread(this::close, "restore-replicas");
    /** peak-dns's zone with its trailing dot (PEAK variants). */
    private String zone;
    /** The balancer's LoadBalancer addresses: peak-dns's replicas, the proxy's or the ingress gateway's. */
    private List<String> balancerAddresses = List.of();
    private boolean closed;

    private KubernetesVariant(KubernetesClient client, Layout layout, Duration readyTimeout, Duration riseWait) {
        this.client = client;
        this.layout = layout;
        this.readyTimeout = readyTimeout;
        this.riseWait = riseWait;
    }

    /**
     * Checks that {@code variant} is deployed as the experiment needs it, waits for its balancer and its
     * LoadBalancer address, and scales it to {@code servers}.
     *
     * @param dnsReplicas peak-dns replicas the variant must have (2 for the kill-dns-replica fault)
     * @param riseWait    how long balancers get to admit pods that just became Ready
     */
    public static KubernetesVariant prepare(KubernetesClient client, Variant variant, int servers, int dnsReplicas,
                                            Duration readyTimeout, Duration riseWait) {
        KubernetesVariant deployed = new KubernetesVariant(client, Layout.of(variant), readyTimeout, riseWait);
        deployed.checkDeployed(dnsReplicas);
        deployed.layout.servers().forEach(name -> deployed.replicasAtStart.put(name, replicas(deployed.deployment(name))));
        Runtime.getRuntime().addShutdownHook(deployed.restoreOnExit);
        try {
            deployed.balancerAddresses = deployed.awaitBalancer();
            deployed.scaleTo(servers);
            deployed.recordRunningImages();
            return deployed;
        } catch (RuntimeException e) {
            deployed.close();
            throw e;
        }
    }

    // ---- what must be deployed -------------------------------------------------------------------------

    private void checkDeployed(int dnsReplicas) {
        String ns = layout.namespace();
        if (client.namespaces().withName(ns).get() == null) {
            throw notDeployed("namespace " + ns + " does not exist");
        }
        for (String name : layout.servers()) {
            recordContainers(requireDeployment(name));
        }
        switch (layout.balancer()) {
            case PEAK_DNS -> {
                Deployment dns = requireDeployment(PEAK_DNS);
                recordContainers(dns);
                zone = zoneOf(dns);
                if (replicas(dns) < dnsReplicas) {
                    throw new ClusterException("Deployment peak-dns in namespace " + ns + " has " + replicas(dns)
                            + " replica(s), the experiment needs " + dnsReplicas + ": deploy it as the manifests say with `"
                            + layout.deployWith() + "`");
                }
                requireService(PEAK_DNS);
            }
            case PROXY -> {
                Deployment proxy = requireDeployment(PROXY);
                recordContainers(proxy);
                String kind = Optional.ofNullable(proxy.getMetadata().getLabels()).map(l -> l.get(PROXY_KIND_LABEL)).orElse(null);
                if (!layout.proxyKind().equals(kind)) {
                    throw new ClusterException("namespace " + ns + " runs " + (kind == null ? "a proxy without the label "
                            + PROXY_KIND_LABEL : kind) + ", " + layout.variant() + " needs " + layout.proxyKind()
                            + ": redeploy the proxy with `" + layout.deployWith() + "`");
                }
                requireService(PROXY);
            }
            case INGRESS_GATEWAY -> {
                if (client.services().inNamespace(ISTIO_NAMESPACE).withName(INGRESS_GATEWAY).get() == null) {
                    throw new ClusterException("Istio's ingress gateway (Service " + INGRESS_GATEWAY + " in namespace "
                            + ISTIO_NAMESPACE + ") is missing: install Istio with its ingress gateway (mesh-variant/README.md), "
                            + "then run `" + layout.deployWith() + "`");
                }
                Deployment gateway = client.apps().deployments().inNamespace(ISTIO_NAMESPACE).withName(INGRESS_GATEWAY).get();
                if (gateway != null) {
                    recordContainers(gateway);
                }
            }
        }
    }

    private Deployment requireDeployment(String name) {
        Deployment deployment = deployment(name);
        if (deployment == null) {
            throw notDeployed("namespace " + layout.namespace() + " has no Deployment " + name);
        }
        return deployment;
    }

    private void requireService(String name) {
        if (client.services().inNamespace(layout.namespace()).withName(name).get() == null) {
            throw notDeployed("namespace " + layout.namespace() + " has no Service " + name);
        }
    }

    private ClusterException notDeployed(String what) {
        return new ClusterException(what + ": deploy " + layout.variant() + " first with `" + layout.deployWith() + "`");
    }

    /** peak-dns's zone as its container's environment sets it (docs/architecture.md: peak-dns; default peak.test.). */
    private static String zoneOf(Deployment dns) {
        String value = dns.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> PEAK_DNS.equals(c.getName())).findFirst().map(Container::getEnv).orElse(List.of()).stream()
                .filter(e -> ZONE_VARIABLE.equals(e.getName())).findFirst().map(EnvVar::getValue).orElse(null);
        if (value == null || value.isBlank()) {
            return Hosts.DEFAULT_ZONE;
        }
        return value.endsWith(".") ? value : value + ".";
    }

    /** CPU limits and images of a Deployment's containers, for the manifest; the mesh's sidecar from its annotation. */
    private void recordContainers(Deployment deployment) {
        recorded.add(deployment);
        String prefix = deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
        for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
            String key = c.getName().equals(deployment.getMetadata().getName()) ? prefix : prefix + "/" + c.getName();
            images.put(key, c.getImage());
            Optional.ofNullable(c.getResources()).map(r -> r.getLimits()).map(l -> l.get("cpu"))
                    .ifPresent(cpu -> cpuLimits.put(key, cpus(cpu)));
        }
        Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata()).map(m -> m.getAnnotations())
                .map(a -> a.get(SIDECAR_CPU_LIMIT)).ifPresent(cpu -> cpuLimits.put(prefix + "/istio-proxy", cpus(new Quantity(cpu))));
    }

    /**
     * The images the pods run, as their container statuses name them (the digest the node pulled): a tag in the
     * Deployment is not proof of what ran, e.g. a re-pushed tag a node had cached. Two digests under one key mean a
     * rollout was under way.
     */
    private void recordRunningImages() {
        for (Deployment deployment : recorded) {
            String namespace = deployment.getMetadata().getNamespace();
            String prefix = namespace + "/" + deployment.getMetadata().getName();
            for (Pod pod : client.pods().inNamespace(namespace).withLabels(deployment.getSpec().getSelector().getMatchLabels())
                    .list().getItems()) {
                List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
                for (ContainerStatus status : statuses == null ? List.<ContainerStatus>of() : statuses) {
                    if (status.getImageID() != null && !status.getImageID().isBlank()) {
                        String key = status.getName().equals(deployment.getMetadata().getName()) ? prefix : prefix + "/" + status.getName();
                        runningImages.computeIfAbsent(key, k -> new TreeSet<>()).add(status.getImageID());
                    }
                }
            }
        }
    }

    private static double cpus(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).doubleValue();
    }

    // ---- waiting -----------------------------------------------------------------------------------------

    /** Waits until the balancer's pods are Ready and its LoadBalancer Service has an address; returns the addresses. */
    private List<String> awaitBalancer() {
        return switch (layout.balancer()) {
            case PEAK_DNS -> {
                awaitReplicas(layout.namespace(), PEAK_DNS, replicas(deployment(PEAK_DNS)));
                yield awaitLoadBalancer(layout.namespace(), PEAK_DNS);
            }
            case PROXY -> {
                awaitReplicas(layout.namespace(), PROXY, replicas(deployment(PROXY)));
                yield awaitLoadBalancer(layout.namespace(), PROXY);
            }
            case INGRESS_GATEWAY -> {
                awaitGatewayPods();
                yield awaitLoadBalancer(ISTIO_NAMESPACE, INGRESS_GATEWAY);
            }
        };
    }

    /** Until Deployment {@code name} runs exactly {@code replicas} Ready pods of its current spec. */
    private void awaitReplicas(String namespace, String name, int replicas) {
        RollableScalableResource<Deployment> resource = client.apps().deployments().inNamespace(namespace).withName(name);
        try {
            resource.waitUntilCondition(d -> d != null && rolledOut(d, replicas), readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            Deployment d = resource.get();
            int ready = d == null || d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas());
            throw new ClusterException("Deployment " + name + " in namespace " + namespace + " has " + ready + " of "
                    + replicas + " pods Ready after " + readyTimeout.toSeconds() + " s (waited for " + replicas
                    + " Ready pods of its current spec): see `kubectl -n " + namespace + " describe deployment " + name + "`");
        }
    }

    /** The controller has seen the current spec and runs exactly that many pods, all updated and Ready. */
    private static boolean rolledOut(Deployment d, int replicas) {
        DeploymentStatus status = d.getStatus();
        if (status == null || replicas(d) != replicas) {
            return false;
        }
        Long generation = d.getMetadata().getGeneration();
        boolean observed = generation == null || (status.getObservedGeneration() != null && status.getObservedGeneration() >= generation);
        return observed && orZero(status.getReplicas()) == replicas && orZero(status.getUpdatedReplicas()) == replicas
                && orZero(status.getReadyReplicas()) == replicas;
    }

    private void awaitGatewayPods() {
        try {
            client.pods().inNamespace(ISTIO_NAMESPACE).withLabel(INGRESS_GATEWAY_LABEL, INGRESS_GATEWAY_LABEL_VALUE)
                    .informOnCondition(pods -> !pods.isEmpty() && pods.stream().allMatch(KubernetesVariant::ready))
                    .get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException("Istio's ingress gateway (pods labelled " + INGRESS_GATEWAY_LABEL + "="
                    + INGRESS_GATEWAY_LABEL_VALUE + " in " + ISTIO_NAMESPACE + ") is not Ready after "
                    + readyTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new ClusterException("cannot watch Istio's ingress gateway pods: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for Istio's ingress gateway", e);
        }
    }

    /** Until the LoadBalancer Service has an external address; they are what clients (or peak-dns's) use. */
    private List<String> awaitLoadBalancer(String namespace, String name) {
        try {
            Service service = client.services().inNamespace(namespace).withName(name).waitUntilCondition(
                    s -> s != null && !addresses(s).isEmpty(), readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return addresses(service);
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException("the LoadBalancer Service " + name + " in namespace " + namespace
                    + " has no external address after " + readyTimeout.toSeconds() + " s: the cluster needs a load "
                    + "balancer implementation (its cloud's, or MetalLB on bare metal) with IPv6 addresses");
        }
    }

    private static List<String> addresses(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp)
                .filter(ip -> ip != null && !ip.isBlank()).toList();
    }

    // ---- operations for the experiment ---------------------------------------------------------------------

    @Override
    public int servers() {
        return replicas(deployment(layout.servers().get(0)));
    }

    /**
     * Scales service-a (and service-b in RI2) to {@code servers}, waits until that many pods of each are Ready,
     * then gives the balancers the rise time: peak-dns learns the pods from their EndpointSlices but answers with
     * one only after probing it itself, 2 passing probes 1 s apart (as the proxies' checks admit a server).
     */
    @Override
    public void scaleTo(int servers) {
        if (servers < 1) {
            throw new IllegalArgumentException("cannot scale to " + servers + " servers");
        }
        for (String name : layout.servers()) {
            client.apps().deployments().inNamespace(layout.namespace()).withName(name).scale(servers);
        }
        for (String name : layout.servers()) {
            awaitReplicas(layout.namespace(), name, servers);
        }
        pause(riseWait);
    }

    /**
     * Deletes a pod at once (grace period 0: a crash, not a shutdown). {@code a-N} and {@code b-N}, the
     * experiment's names for a server, mean the newest Ready pod of service-a or service-b; any other name is a
     * pod's own (its instance id).
     */
    @Override
    public void kill(String instance) {
        Pod pod = client.pods().inNamespace(layout.namespace()).withName(instance).get();
        if (pod == null) {
            Matcher server = SERVER_INSTANCE.matcher(instance);
            if (!server.matches()) {
                throw new IllegalArgumentException("no pod " + instance + " in namespace " + layout.namespace());
            }
            pod = newest(readyPods(layout.namespace(), NAME_LABEL, "service-" + server.group(1)),
                    "service-" + server.group(1) + " in namespace " + layout.namespace());
        }
        delete(pod);
    }

    /** Deletes the newest Ready pod of the RI1 proxy or of Istio's ingress gateway. */
    @Override
    public void killProxy() {
        switch (layout.balancer()) {
            case PROXY -> delete(newest(readyPods(layout.namespace(), NAME_LABEL, PROXY),
                    "the proxy in namespace " + layout.namespace()));
            case INGRESS_GATEWAY -> delete(newest(readyPods(ISTIO_NAMESPACE, INGRESS_GATEWAY_LABEL, INGRESS_GATEWAY_LABEL_VALUE),
                    "Istio's ingress gateway"));
            case PEAK_DNS -> throw new IllegalStateException(layout.variant() + " has no proxy");
        }
    }

    /** Deletes peak-dns's Ready pod number {@code replica}, counting from the oldest. */
    @Override
    public void killDnsReplica(int replica) {
        if (layout.balancer() != Layout.BalancerKind.PEAK_DNS) {
            throw new IllegalStateException(layout.variant() + " runs no peak-dns");
        }
        List<Pod> ready = readyPods(layout.namespace(), NAME_LABEL, PEAK_DNS);
        if (replica < 1 || replica > ready.size()) {
            throw new ClusterException("peak-dns has " + ready.size() + " Ready replica(s) in namespace "
                    + layout.namespace() + ": there is no replica " + replica + " to kill");
        }
        delete(ready.get(replica - 1));
    }

    /**
     * PEAK_ENTRY (and PEAK_ENTRY_B) as in the lab: the names peak-dns resolves for PEAK, the LoadBalancer address
     * of the proxy or ingress gateway otherwise; PEAK_DNS_SERVERS, peak-dns's LoadBalancer addresses;
     * PEAK_INSTANCES, the Ready server pods (name = instance id) and their addresses.
     */
    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PEAK_VARIANT", layout.variant().id());
        env.put("PEAK_SERVERS", Integer.toString(servers()));
        env.put("PEAK_NAMESPACE", layout.namespace());
        switch (layout.balancer()) {
            case PEAK_DNS -> {
                env.put("PEAK_ZONE", zone);
                env.put("PEAK_DNS", balancerAddresses.get(0));
                env.put("PEAK_DNS_SERVERS", String.join(" ", balancerAddresses));
                env.put("PEAK_ENTRY", byName('a'));
                if (layout.servers().contains(Layout.SERVICE_B)) {
                    env.put("PEAK_ENTRY_B", byName('b'));
                }
            }
            case PROXY -> env.put("PEAK_ENTRY", "http://" + Hosts.hostPort(balancerAddresses.get(0), SERVICE_PORT));
            case INGRESS_GATEWAY -> env.put("PEAK_ENTRY", "http://" + Hosts.hostPort(balancerAddresses.get(0), INGRESS_PORT));
        }
        env.put("PEAK_INSTANCES", layout.servers().stream()
                .flatMap(name -> readyPods(layout.namespace(), NAME_LABEL, name).stream())
                .map(p -> p.getMetadata().getName() + "=" + p.getStatus().getPodIP()).collect(Collectors.joining(" ")));
        return env;
    }

    /** A service's base URL by the name peak-dns answers for it, e.g. http://a.peak.test:8080. */
    private String byName(char service) {
        return "http://" + service + "." + zone.substring(0, zone.length() - 1) + ":" + SERVICE_PORT;
    }



    /** Unchanged: the generator runs on this machine, outside the cluster's CPU accounting. */
    @Override
    public List<String> asLoad(List<String> command) {
        return command;
    }

    /**
     * Nothing: the pods' cgroups are the nodes', out of the driver's reach (metrics-server's per-pod figures are
     * averages over tens of seconds, too coarse for a level's window). Costs by component are a lab figure.
     */
    @Override
    public Map<String, CpuReading> cpuUsage() {
        return Map.of();
    }

    /**
     * Not done on a cluster: the driver may be outside the pod network. peak-dns's replicas there serve every client
     * of the cluster and compile as they do; a staircase's warm-up then only has to be long enough.
     */
    @Override
    public void warmDns() {
    }

    /** Pods' threads are not visible from the driver. */
    @Override
    public Map<String, Long> compilerNanos() {
        return Map.of();
    }

    /** The manifests set the budgets (requests = limits): the driver leaves them as they are. */
    @Override
    public void liftBudgets() {
    }

    @Override
    public void restoreBudgets(CpuEnforcement enforcement) {
    }

    /** CPU limits of the containers that ran, by namespace/deployment[/container], for the manifest. */
    Map<String, Double> cpuLimits() {
        return cpuLimits;
    }

    /** Images of the containers that ran, keyed as {@link #cpuLimits()}. */
    Map<String, String> images() {
        return images;
    }

    /** The image digests the pods ran, keyed as {@link #cpuLimits()}; several are listed with ", ". */
    Map<String, String> runningImages() {
        Map<String, String> joined = new TreeMap<>();
        runningImages.forEach((key, ids) -> joined.put(key, String.join(", ", ids)));
        return joined;
    }

    /** Puts service-a's (and service-b's) replica counts back to what they were before the experiment. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        replicasAtStart.forEach((name, replicas) ->
                client.apps().deployments().inNamespace(layout.namespace()).withName(name).scale(replicas));
        if (Thread.currentThread() != restoreOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    // ---- pods ---------------------------------------------------------------------------------------------

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(layout.namespace()).withName(name).get();
    }

    private static int replicas(Deployment deployment) {
        return orZero(deployment.getSpec().getReplicas());
    }

    /** Ready, not terminating pods with the label, oldest first (by creation, then name: deterministic). */
    private List<Pod> readyPods(String namespace, String label, String value) {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace).withLabel(label, value).list().getItems());
        pods.removeIf(p -> p.getMetadata().getDeletionTimestamp() != null || !ready(p));
        pods.sort(Comparator.comparing((Pod p) -> created(p)).thenComparing(p -> p.getMetadata().getName()));
        return pods;
    }

    private static Instant created(Pod pod) {
        String timestamp = pod.getMetadata().getCreationTimestamp();
        return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Pod newest(List<Pod> oldestFirst, String what) {
        if (oldestFirst.isEmpty()) {
            throw new ClusterException("no Ready pod of " + what + " to kill");
        }
        return oldestFirst.get(oldestFirst.size() - 1);
    }

    private void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while the balancers admit the new pods", e);
        }
    }
}

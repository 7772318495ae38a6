package dev.peak.dns.discovery;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.Zone;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The {@code kubernetes} discovery source: a fabric8 informer on the Services labelled
 * {@code peak.dev/dns: "true"}, and one on the {@code discovery.k8s.io/v1} EndpointSlices of each of those
 * Services. The Service name is the DNS label; its endpoints are the slice endpoints Kubernetes reports
 * ready; its settings come from {@code peak.dev/*} annotations ({@link ServiceAnnotations}). Every change
 * recomputes the source's services from the informers' caches and applies them whole.
 *
 * <p>One slice informer per labelled Service (selector {@code kubernetes.io/service-name=<name>} in its
 * namespace), rather than one on every slice of the namespace, so the cache holds the slices of labelled
 * Services only, not those of every Service of the cluster. Rather than one informer whose selector lists the
 * labelled names ({@code kubernetes.io/service-name in (a, b)}) either: changing that list means a new informer
 * that lists the slices of every labelled Service again, with a gap until it has them, and a name selector
 * cannot say which namespace, so with {@code *} it would also catch a same-named unlabelled Service elsewhere.
 * The price is one watch per labelled Service, right for the tens of Services a zone answers for.
 */
@ApplicationScoped
public class KubernetesDiscovery {

    public static final String SOURCE = "kubernetes";
    /** Only Services carrying this label with the value {@code true} are answered for. */
    public static final String LABEL = "peak.dev/dns";
    /** Set by Kubernetes on every EndpointSlice that belongs to a Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** {@code peak.dns.kubernetes.namespace} value that watches every namespace. */
    static final String ALL_NAMESPACES = "*";
    /** Longest wait for the first list of Services and slices before start-up fails. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(KubernetesDiscovery.class);

    private final DnsConfig config;
    private final Zone zone;
    private final Supplier<KubernetesClient> client;
    private final ServiceAnnotations annotations;
    private KubernetesClient kubernetes;
    private SharedIndexInformer<Service> services;
    /** "namespace/name" of each labelled Service → the informer on its slices. Guarded by this. */
    private final Map<String, SharedIndexInformer<EndpointSlice>> slices = new HashMap<>();
    private volatile boolean synced;
    private Map<String, ServiceSpec> lastApplied;
    private volatile Set<String> lastProblems = Set.of();

    /** The client is looked up only when the source is on: peak-dns without it needs no cluster. */
    @Inject
    public KubernetesDiscovery(DnsConfig config, Zone zone, Instance<KubernetesClient> client) {
        this(config, zone, client::get);
    }

    KubernetesDiscovery(DnsConfig config, Zone zone, Supplier<KubernetesClient> client) {
        this.config = config;
        this.zone = zone;
        this.client = client;
        this.annotations = new ServiceAnnotations(config.ttl(), HealthSpec.defaults(config.health()));
    }

    public boolean enabled() {
        return config.discovery().contains(SOURCE);
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        if (enabled()) {
            start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * What is wrong with the labelled Services now (bad annotations, names taken by an older Service),
     * one sentence each; every one was logged once as a warning.
     */
    public Set<String> problems() {
        return lastProblems;
    }

    /**
     * Lists and watches Services and EndpointSlices, and returns once the lists of the Services and of their
     * slices arrived and the zone holds their services, so the first health probes and answers see them. A
     * first list that fails (most often: RBAC) fails start-up with the reason; later failures are retried for ever.
     */
    synchronized void start() {
        kubernetes = client.get();
        String namespace = config.kubernetes().namespace()
                .or(() -> Optional.ofNullable(kubernetes.getNamespace()))
                .orElse("default");
        boolean all = ALL_NAMESPACES.equals(namespace);
        var serviceOps = kubernetes.services();
        services = (all ? serviceOps.inAnyNamespace().withLabel(LABEL, "true")
                : serviceOps.inNamespace(namespace).withLabel(LABEL, "true")).runnableInformer(0);
        // Once started, never give up: the watch may break on any API server restart.
        services.exceptionHandler((started, error) -> started);
        services.addEventHandler(new Changes<>(this::servicesChanged));

        String where = all ? "all namespaces" : "namespace " + namespace;
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        try {
            services.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<CompletableFuture<Void>> firstLists = watchSlicesOfLabelledServices();
            CompletableFuture.allOf(firstLists.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            stop();
            throw new IllegalStateException("discovery 'kubernetes' cannot list Services and EndpointSlices in " + where
                    + " at " + kubernetes.getMasterUrl() + " (" + e.getCause() + "); peak-dns needs the API server"
                    + " and get, list and watch on services and endpointslices.discovery.k8s.io", e.getCause());
        } catch (TimeoutException e) {
            stop();
            throw new IllegalStateException("discovery 'kubernetes': no answer from the API server at "
                    + kubernetes.getMasterUrl() + " within " + SYNC_TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while listing Services", e);
        }
        // Events during the first lists were skipped: one pass now instead of one per object listed
        // (a Service that came meanwhile gets its slice informer here, and its slices as they arrive).
        synced = true;
        servicesChanged();
        LOG.infof("watching Services labelled %s=true in %s: %d services", LABEL, where, lastApplied.size());
    }

    synchronized void stop() {
        synced = false;
        if (services != null) {
            services.stop();
        }
        slices.values().forEach(SharedIndexInformer::stop);
        slices.clear();
    }

    /** The slices the informers hold, as "namespace/name". */
    synchronized Set<String> cachedSlices() {
        Set<String> cached = new TreeSet<>();
        slices.values().forEach(informer -> informer.getStore().list()
                .forEach(slice -> cached.add(slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName())));
        return cached;
    }

    private synchronized void servicesChanged() {
        watchSlicesOfLabelledServices();
        publish();
    }

    /**
     * Starts an informer on the slices of every labelled Service that has none and stops those of Services
     * no longer labelled; returns the first lists of the informers started. Before start-up is over, a first
     * list that fails is not retried, so start-up fails with the reason; after, every failure is retried.
     */
    private synchronized List<CompletableFuture<Void>> watchSlicesOfLabelledServices() {
        Map<String, Service> labelled = new HashMap<>();
        services.getStore().list().forEach(service -> labelled.put(serviceKey(service), service));
        slices.entrySet().removeIf(entry -> {
            if (labelled.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            return true;
        });
        List<CompletableFuture<Void>> firstLists = new ArrayList<>();
        labelled.forEach((key, service) -> {
            if (slices.containsKey(key)) {
                return;
            }
            SharedIndexInformer<EndpointSlice> informer = kubernetes.discovery().v1().endpointSlices()
                    .inNamespace(service.getMetadata().getNamespace())
                    .withLabel(SERVICE_NAME_LABEL, service.getMetadata().getName()).runnableInformer(0);
            informer.exceptionHandler((started, error) -> started || synced);
            informer.addEventHandler(new Changes<>(this::publish));
            slices.put(key, informer);
            firstLists.add(informer.start().toCompletableFuture());
        });
        return firstLists;
    }

    /** Recomputes every service of this source from the informers' caches; applies only a change. */
    synchronized void publish() {
        if (!synced) {
            return;
        }
        Set<String> problems = new LinkedHashSet<>();
        Map<String, ServiceSpec> specs = new TreeMap<>();
        for (Service service : owners(services.getStore().list(), problems).values()) {
            String key = serviceKey(service);
            String nameProblem = ServiceSpec.nameProblem(service.getMetadata().getName());
            if (nameProblem != null) {
                problems.add("Service " + key + ": " + nameProblem + ", ignored");
                continue;
            }
            SharedIndexInformer<EndpointSlice> informer = slices.get(key);
            List<EndpointSlice> ofService = informer == null ? new ArrayList<>() : new ArrayList<>(informer.getStore().list());
            ofService.sort(Comparator.comparing(s -> s.getMetadata().getName()));
            ServiceAnnotations.Settings settings = annotations.read(service.getMetadata().getAnnotations(),
                    problem -> problems.add("Service " + key + ": " + problem));
            int port = settings.port().orElseGet(() -> defaultPort(service, ofService));
            String name = service.getMetadata().getName();
            specs.put(name, new ServiceSpec(name, settings.policy(), settings.answerSize(), settings.ttl(), port,
                    settings.health(), readyEndpoints(ofService)));
        }
        // Every event recomputes everything: report each mistake once, again only after it was fixed.
        problems.stream().filter(p -> !lastProblems.contains(p)).forEach(LOG::warn);
        lastProblems = Set.copyOf(problems);
        if (!specs.equals(lastApplied)) {
            zone.apply(SOURCE, specs);
            lastApplied = specs;
        }
    }

    /**
     * One Service per DNS label. When several namespaces hold a labelled Service of the same name the
     * oldest wins (then the namespace first in alphabetical order), so a newcomer cannot take over a
     * name clients already use; the others are reported and not answered.
     */
    private static Map<String, Service> owners(List<Service> labelled, Set<String> problems) {
        Map<String, Service> owners = new TreeMap<>();
        labelled.stream()
                .sorted(Comparator.comparing(KubernetesDiscovery::created).thenComparing(s -> s.getMetadata().getNamespace()))
                .forEach(service -> {
                    Service owner = owners.putIfAbsent(service.getMetadata().getName(), service);
                    if (owner != null) {
                        problems.add("Service " + serviceKey(service) + ": the name " + service.getMetadata().getName()
                                + " is already answered for Service " + serviceKey(owner) + " (older), ignored");
                    }
                });
        return owners;
    }

    /**
     * The first address of every endpoint whose {@code conditions.ready} is not false: absent means
     * ready (API docs), and Kubernetes sets ready false for terminating endpoints (unless the Service
     * publishes not-ready addresses), so draining pods get no new clients. kube-proxy likewise uses
     * only the first address. FQDN slices are skipped: peak-dns answers addresses and never resolves names.
     */
    static List<EndpointSpec> readyEndpoints(List<EndpointSlice> slices) {
        Set<InetAddress> seen = new HashSet<>();
        List<EndpointSpec> endpoints = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            if (!"IPv6".equals(slice.getAddressType()) && !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            for (Endpoint endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
                boolean ready = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                List<String> addresses = endpoint.getAddresses();
                if (!ready || addresses == null || addresses.isEmpty()) {
                    continue;
                }
                try {
                    InetAddress address = IpLiterals.parse(addresses.get(0));
                    // The same endpoint may sit in two slices for a moment while the controller moves it.
                    if (seen.add(address)) {
                        endpoints.add(new EndpointSpec(address, 1));
                    }
                } catch (IllegalArgumentException e) {
                    LOG.debugf("slice %s: %s", slice.getMetadata().getName(), e.getMessage());
                }
            }
        }
        return List.copyOf(endpoints);
    }

    /**
     * Where health probes go without a {@code peak.dev/port} annotation: the first port of the
     * slices (the container port the pods listen on), else the Service's first target port, else 8080.
     */
    static int defaultPort(Service service, List<EndpointSlice> slices) {
        for (EndpointSlice slice : slices) {
            for (EndpointPort port : Objects.requireNonNullElse(slice.getPorts(), List.<EndpointPort>of())) {
                if (port.getPort() != null) {
                    return port.getPort();
                }
            }
        }
        List<ServicePort> ports = service.getSpec() == null ? null : service.getSpec().getPorts();
        if (ports != null && !ports.isEmpty()) {
            ServicePort first = ports.get(0);
            if (first.getTargetPort() != null && first.getTargetPort().getIntVal() != null) {
                return first.getTargetPort().getIntVal();
            }
            if (first.getPort() != null) {
                return first.getPort();
            }
        }
        return StaticFileParser.DEFAULT_PORT;
    }

    private static String serviceKey(Service service) {
        return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    }

    private static Instant created(HasMetadata object) {
        String timestamp = object.getMetadata().getCreationTimestamp();
        try {
            return timestamp == null ? Instant.MAX : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    /** Runs {@code action} after every change once start-up is over. */
    private final class Changes<T> implements ResourceEventHandler<T> {

        private final Runnable action;

        Changes(Runnable action) {
            this.action = action;
        }

        @Override
        public void onAdd(T object) {
            changed(object);
        }

        @Override
        public void onUpdate(T before, T after) {
            changed(after);
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            changed(object);
        }

        private void changed(T object) {
            if (!synced) {
                return;
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                // Never let one bad object stop the informer's event delivery.
                LOG.errorf(e, "discovery 'kubernetes': cannot apply the change to %s", object);
            }
        }
    }
}

package dev.peak.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** One variant's manifests as {@code kubectl kustomize} renders them, parsed strictly; lookups for the checks. */
record Rendered(String directory, List<HasMetadata> objects) {

    static final String PEAK = "k8s/overlays/peak";
    static final String PROXY = "k8s/overlays/proxy";
    static final String PROXY_NGINX = "k8s/overlays/proxy-nginx";
    static final String MESH = "mesh-variant";
    static final List<String> VARIANTS = List.of(PEAK, PROXY, PROXY_NGINX, MESH);
    /** The server Deployments every variant has. */
    static final List<String> SERVERS = List.of("service-a", "service-b");

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    /** Rendered once per test run: kustomize takes a fraction of a second per overlay, but there are many checks. */
    static Rendered of(String directory) {
        return CACHE.computeIfAbsent(directory, dir -> new Rendered(dir, StrictModels.parse(Kustomize.render(dir))));
    }

    static List<Rendered> all() {
        return VARIANTS.stream().map(Rendered::of).toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                directory + " renders no " + type.getSimpleName() + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    Deployment deployment(String name) {
        return one(Deployment.class, name);
    }

    Service service(String name) {
        return one(Service.class, name);
    }

    /** The variant's namespace: the overlay's, which every namespaced object is in. */
    String namespace() {
        List<Namespace> namespaces = all(Namespace.class);
        if (namespaces.size() != 1) {
            throw new AssertionError(directory + " renders " + namespaces.size() + " namespaces, expected 1");
        }
        return namespaces.get(0).getMetadata().getName();
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The value of a container's environment variable, or null when it is not set. */
    static String env(Deployment deployment, String name) {
        return container(deployment).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return directory;
    }
}

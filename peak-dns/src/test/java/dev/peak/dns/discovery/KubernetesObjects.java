package dev.peak.dns.discovery;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Services and EndpointSlices shaped as Kubernetes creates them for a headless Service. */
final class KubernetesObjects {

    private KubernetesObjects() {
    }

    static Service service(String namespace, String name, boolean labelled) {
        Map<String, String> labels = new HashMap<>();
        labels.put("app", name);
        if (labelled) {
            labels.put(KubernetesDiscovery.LABEL, "true");
        }
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withName("http").withPort(8080).endPort().endSpec()
                .build();
    }

    static EndpointSlice slice(String namespace, String service, String name, String addressType, int port,
            Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(KubernetesDiscovery.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType(addressType)
                .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(Arrays.asList(endpoints))
                .build();
    }

    /** A running pod that passes its readiness probe. */
    static Endpoint ready(String address) {
        return endpoint(address, true, true, false);
    }

    static Endpoint endpoint(String address, Boolean ready, Boolean serving, Boolean terminating) {
        return new EndpointBuilder().withAddresses(address)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .build();
    }
}

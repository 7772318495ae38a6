package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;

/** k8s/components/dual-stack, as `make deploy-* DUAL_STACK=1` adds it: both families, IPv6 first. */
class DualStackComponentTest {


    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void dualStackKeepsIpv6AsThePrimaryFamily(String variant) {
        String dir = "dual-stack-check/" + variant.replace('/', '-');
        String yaml = Kustomize.renderOwn(dir, """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../%s
                components:
                  - ../../k8s/components/dual-stack
                """.formatted(variant));
        List<HasMetadata> objects = StrictModels.parse(yaml);
        List<Service> services = objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
        assertFalse(services.isEmpty());
        for (Service service : services) {
            assertEquals(List.of("IPv6", "IPv4"), service.getSpec().getIpFamilies(), service.getMetadata().getName());
            assertEquals("PreferDualStack", service.getSpec().getIpFamilyPolicy(), service.getMetadata().getName());
        }
    }
}

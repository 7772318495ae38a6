package dev.peak.k8s;

import static dev.peak.k8s.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The rules every variant's rendered manifests keep (docs/architecture.md: Kubernetes and Istio, Fairness rules;
 * k8s/README.md).
 */
class EveryVariantTest {

    /**
     * What the suite's JVMs committed beyond their heap, the most of service-a, service-b and peak-dns, each in its
     * pod's budget under saturating load (k8s/bench/pod-budget.sh; docs/kubernetes.md, "Memory and probes").
     */
    private static final long BEYOND_THE_HEAP = 97L << 20;

    /** The images `make images` builds (Quarkus Jib: group peak, the module's name, the project version). */
    private static final List<String> OUR_IMAGES = List.of("peak/service-a", "peak/service-b", "peak/peak-dns");

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void rendersAndParsesStrictlyIntoOneNamespace(String variant) {
        Rendered rendered = Rendered.of(variant);
        String namespace = rendered.namespace();
        for (HasMetadata object : rendered.objects()) {
            if (!(object instanceof io.fabric8.kubernetes.api.model.Namespace)) {
                assertEquals(namespace, object.getMetadata().getNamespace(), object.getKind() + " " + object.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void servicesAreIpv6SingleStack(String variant) {
        for (Service service : Rendered.of(variant).all(Service.class)) {
            String name = variant + ": Service " + service.getMetadata().getName();
            assertEquals(List.of("IPv6"), service.getSpec().getIpFamilies(), name);
            assertEquals("SingleStack", service.getSpec().getIpFamilyPolicy(), name);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void serversAreReadyOnQuarkusReadinessAndLiveOnLiveness(String variant) {
        for (String server : Rendered.SERVERS) {
            Container c = container(Rendered.of(variant).deployment(server));
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), variant + " " + server);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), variant + " " + server);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void everyContainerHasProbesAndRequestsEqualToLimits(String variant) {
        for (Deployment d : Rendered.of(variant).all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String name = variant + ": " + d.getMetadata().getName() + "/" + c.getName();
                assertNotNull(c.getReadinessProbe(), name + " has no readiness probe");
                assertNotNull(c.getLivenessProbe(), name + " has no liveness probe");
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertTrue(limits.containsKey("cpu") && limits.containsKey("memory"), name + " lacks CPU or memory limits");
                assertEquals(limits, requests, name + ": requests must equal limits (Guaranteed QoS, a fixed budget)");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void podsRunAsNonRootOnReadOnlyRootWithoutCapabilities(String variant) {
        for (Deployment d : Rendered.of(variant).all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            String name = variant + ": " + d.getMetadata().getName();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + " may run as root");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
            for (Container c : pod.getContainers()) {
                var security = c.getSecurityContext();
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), name + "/" + c.getName());
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), name + "/" + c.getName());
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), name + "/" + c.getName());
                assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty(),
                        name + "/" + c.getName() + " adds capabilities");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void instanceIdIsThePodName(String variant) {
        for (String server : Rendered.SERVERS) {
            EnvVar id = container(Rendered.of(variant).deployment(server)).getEnv().stream()
                    .filter(e -> e.getName().equals("PEAK_INSTANCE_ID")).findFirst()
                    .orElseThrow(() -> new AssertionError(variant + " " + server + " has no PEAK_INSTANCE_ID"));
            assertEquals("metadata.name", id.getValueFrom().getFieldRef().getFieldPath(), variant + " " + server);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void bVerifiesWithThePublicKeysOnlyAndASignsWithThePrivateSet(String variant) {
        Rendered rendered = Rendered.of(variant);
        assertEquals(List.of("jwks.json"), mountedKeys(rendered.deployment("service-b")), variant);
        assertEquals("/keys/jwks.json", Rendered.env(rendered.deployment("service-b"), "MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals(List.of("signing-jwks.json"), mountedKeys(rendered.deployment("service-a")), variant);
        assertEquals("/keys/signing-jwks.json", Rendered.env(rendered.deployment("service-a"), "SMALLRYE_JWT_SIGN_KEY_LOCATION"));
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void everyDeploymentHasADisruptionBudgetSelectingItsPods(String variant) {
        Rendered rendered = Rendered.of(variant);
        for (Deployment d : rendered.all(Deployment.class)) {
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(rendered.all(PodDisruptionBudget.class).stream()
                            .anyMatch(pdb -> podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet())),
                    variant + ": no PodDisruptionBudget covers " + d.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void ourImagesCarryTheProjectVersion(String variant) {
        String version = System.getProperty("peak.version");
        assertNotNull(version, "surefire passes peak.version");
        List<String> images = Rendered.of(variant).all(Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()).map(Container::getImage)
                .filter(image -> image.startsWith("peak/")).toList();
        assertFalse(images.isEmpty(), variant);
        for (String image : images) {
            assertTrue(OUR_IMAGES.contains(image.substring(0, image.lastIndexOf(':'))) && image.endsWith(":" + version),
                    variant + ": " + image + " is not one of " + OUR_IMAGES + " at " + version);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void everyNamespaceEnforcesThePodSecurityLevelItsPodsNeedAndMeet(String variant) {
        Rendered rendered = Rendered.of(variant);
        Map<String, String> labels = rendered.one(Namespace.class, rendered.namespace()).getMetadata().getLabels();
        // the mesh's istio-init needs NET_ADMIN and NET_RAW as root, beyond baseline; everything else meets restricted
        String level = variant.equals(Rendered.MESH) ? "privileged" : "restricted";
        assertEquals(level, labels.get(PodSecurity.ENFORCE), variant);
        assertNotNull(labels.get(PodSecurity.ENFORCE_VERSION), variant + ": the level's rules may change with the cluster");
        for (Deployment d : rendered.all(Deployment.class)) {
            assertEquals(List.of(), PodSecurity.violations(d.getSpec().getTemplate().getSpec(), "restricted"),
                    variant + ": " + d.getMetadata().getName() + " as written, before any injection");
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void everyImageIsPinnedByDigestOrPulledByAnExplicitPolicy(String variant) {
        for (Deployment d : Rendered.of(variant).all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String name = variant + ": " + d.getMetadata().getName() + "/" + c.getName() + " " + c.getImage();
                if (c.getImage().contains("@sha256:")) {
                    continue;
                }
                // a tag, never latest (its default policy is Always, and it is nobody's version), and a policy stated
                String tag = c.getImage().substring(c.getImage().lastIndexOf('/') + 1);
                assertTrue(tag.contains(":") && !tag.endsWith(":latest"), name + " has no version tag");
                assertNotNull(c.getImagePullPolicy(), name + " leaves its pull policy to the tag");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("dev.peak.k8s.Rendered#VARIANTS")
    void theJvmHeapLeavesRoomUnderTheLimitForWhatTheJvmUsesBeyondIt(String variant) {
        for (Deployment d : Rendered.of(variant).all(Deployment.class)) {
            Container c = container(d);
            if (!c.getImage().startsWith("peak/")) {
                continue; // HAProxy and nginx: no JVM
            }
            String name = variant + ": " + d.getMetadata().getName();
            String ratio = Rendered.env(d, "JAVA_MAX_MEM_RATIO");
            assertNotNull(ratio, name + " leaves the heap to the image's default, 80 % of the limit");
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            long heap = limit * Long.parseLong(ratio) / 100;
            assertTrue(heap + BEYOND_THE_HEAP + BEYOND_THE_HEAP / 4 <= limit, name + ": a heap of " + (heap >> 20)
                    + " MiB, the JVM's measured " + (BEYOND_THE_HEAP >> 20) + " MiB beyond it and a quarter of that to "
                    + "spare do not fit " + (limit >> 20) + " MiB");
        }
    }

    private static List<String> mountedKeys(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().startsWith("signing-keys-"))
                .flatMap(v -> v.getSecret().getItems().stream()).map(item -> item.getKey()).filter(Objects::nonNull).toList();
    }
}

package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * The packaged applications started with the environment variables their containers get from the rendered
 * manifests (on [::1], the pod's name and the Secret's files stood in for): a misspelt variable would leave an
 * application on its default, which no manifest check can see. peak-dns reads the rendered Services through a
 * mock API server, as its kubernetes discovery reads them in the cluster.
 */
@EnableKubernetesMockClient(crud = true)
class ContainerEnvironmentTest {

    private static final String POD = "service-a-7d9f8-x2k4q";

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void serviceASignsWithTheMountedKeysAndAnswersAsItsPod() throws Exception {
        Deployment a = Rendered.of(Rendered.PEAK).deployment("service-a");
        try (PackagedApp app = PackagedApp.start("service-a", PackagedApp.containerEnvironment(a, POD, Map.of()),
                PackagedApp.freePort())) {
            assertTrue(app.get("/work?cost=1").body().contains("\"instance\":\"" + POD + "\""));
            assertTrue(app.get("/.well-known/jwks.json").body().contains("\"kid\":\"rs256-1\""));
        }
    }

    @Test
    void serviceBKeepsItsInternalEndpointClosedOutsideTheMesh() throws Exception {
        assertEquals(404, internalWorkStatus(Rendered.of(Rendered.PEAK)));
        assertEquals(404, internalWorkStatus(Rendered.of(Rendered.PROXY)));
    }

    @Test
    void serviceBOpensItsInternalEndpointInTheMesh() throws Exception {
        assertEquals(200, internalWorkStatus(Rendered.of(Rendered.MESH)));
    }

    @Test
    void peakDnsAnswersForTheLabelledServiceWithItsReadyPods() throws Exception {
        Rendered peak = Rendered.of(Rendered.PEAK);
        String namespace = peak.namespace();
        int aPort = PackagedApp.freePort();
        try (PackagedApp a = PackagedApp.start("service-a",
                PackagedApp.containerEnvironment(peak.deployment("service-a"), POD, Map.of()), aPort)) {
            // what the cluster would hold: the rendered Services, and the EndpointSlice Kubernetes derives for a's
            // one Ready pod (here service-a on [::1])
            for (Service service : peak.all(Service.class)) {
                client.services().inNamespace(namespace).resource(service).create();
            }
            client.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("a-x7k2p").addToLabels("kubernetes.io/service-name", "a").endMetadata()
                    .withAddressType("IPv6")
                    .addNewEndpoint().withAddresses("::1").withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(POD).endTargetRef().endEndpoint()
                    .addNewPort().withName("http").withPort(aPort).withProtocol("TCP").endPort()
                    .build()).create();

            Deployment dns = peak.deployment("peak-dns");
            Map<String, String> env = PackagedApp.containerEnvironment(dns, "peak-dns-5c6b7-q8r2m", Map.of(
                    // stand-ins for the pod: its service account's API server and namespace, a loopback address
                    "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"),
                    "QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true",
                    "PEAK_DNS_KUBERNETES_NAMESPACE", namespace,
                    "PEAK_DNS_HOST", "::1"));
            try (PackagedApp ignored = PackagedApp.start("peak-dns", env, PackagedApp.freePort())) {
                String zone = env.get("PEAK_DNS_ZONE");
                SimpleResolver resolver = new SimpleResolver(InetAddress.getByName("::1"));
                resolver.setPort(Integer.parseInt(env.get("PEAK_DNS_PORT")));
                resolver.setTimeout(Duration.ofSeconds(2));
                for (boolean tcp : List.of(false, true)) {
                    resolver.setTCP(tcp);
                    Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("a." + zone), Type.AAAA, DClass.IN)));
                    assertEquals(Rcode.NOERROR, answer.getRcode(), answer.toString());
                    List<Record> records = answer.getSection(Section.ANSWER);
                    assertEquals(1, records.size(), answer.toString());
                    assertEquals(InetAddress.getByName("::1"), ((AAAARecord) records.get(0)).getAddress());
                    // b is labelled too, with no ready endpoint yet: a known name without addresses, not NXDOMAIN
                    Message b = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("b." + zone), Type.AAAA, DClass.IN)));
                    assertEquals(Rcode.NOERROR, b.getRcode(), b.toString());
                }
            }
        }
    }

    private static int internalWorkStatus(Rendered variant) throws Exception {
        Deployment b = variant.deployment("service-b");
        try (PackagedApp app = PackagedApp.start("service-b",
                PackagedApp.containerEnvironment(b, "service-b-5f6d4-k9w2z", Map.of()), PackagedApp.freePort())) {
            return app.get("/internal/work?cost=1").statusCode();
        }
    }
}

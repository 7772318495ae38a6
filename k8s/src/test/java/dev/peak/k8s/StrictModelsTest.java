package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The strict parser itself: it must catch what the lenient models let through. */
class StrictModelsTest {

    @Test
    void aMisspelledFieldIsRejectedWithItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModels.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: service-a
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: service-a
                          image: peak/service-a
                          readinesProbe: {}
                """));
        assertTrue(e.getMessage().contains("Deployment service-a.spec: unknown field(s) [replica]"), e.getMessage());
        assertTrue(e.getMessage().contains("containers[0]: unknown field(s) [readinesProbe]"), e.getMessage());
    }

    @Test
    void aKindWithoutModelIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModels.parse("""
                apiVersion: networking.istio.io/v1
                kind: VirtualServce
                metadata:
                  name: a
                """));
        assertTrue(e.getMessage().contains("no model for networking.istio.io/v1 VirtualServce"), e.getMessage());
    }

    @Test
    void anUnknownIstioFieldIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModels.parse("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: default
                spec:
                  mtls:
                    mod: STRICT
                """));
        assertTrue(e.getMessage().contains("mtls: unknown field(s) [mod]"), e.getMessage());
    }

    @Test
    void wellFormedDocumentsParseIntoTheirModels() {
        var objects = StrictModels.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: service-a
                spec:
                  replicas: 2
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: default
                spec:
                  mtls:
                    mode: STRICT
                """);
        assertEquals(2, objects.size());
        assertInstanceOf(Deployment.class, objects.get(0));
        assertInstanceOf(PeerAuthentication.class, objects.get(1));
    }
}

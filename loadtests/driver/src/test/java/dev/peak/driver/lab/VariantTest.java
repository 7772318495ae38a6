package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void variantsAreNamedAsOnTheCommandLine() {
        for (Variant v : Variant.values()) {
            assertEquals(v, Variant.of(v.id()));
        }
        assertEquals(Variant.RI2_MESH, Variant.of("RI2-Mesh"));
    }

    @Test
    void unknownVariantListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.of("ri1-envoy"));
        assertTrue(e.getMessage().contains("ri1-peak, ri1-haproxy, ri1-nginx, ri2-peak, ri2-mesh"), e.getMessage());
    }

    @Test
    void onlyRi2RunsServiceB() {
        assertTrue(Variant.RI2_PEAK.withB() && Variant.RI2_MESH.withB());
        assertTrue(!Variant.RI1_PEAK.withB() && !Variant.RI1_HAPROXY.withB() && !Variant.RI1_NGINX.withB());
    }
}

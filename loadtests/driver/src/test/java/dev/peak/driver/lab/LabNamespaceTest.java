package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LabNamespaceTest {

    @Test
    void labRefusesToStartOutsideItsNamespace() {
        assumeTrue(System.getenv(LabNamespace.MARKER) == null, "this JVM runs inside a lab namespace");
        LabException e = assertThrows(LabException.class, LabNamespace::enter);
        assertTrue(e.getMessage().contains("scale.sh lab"), e.getMessage());
    }

    @Test
    void onlyLabAddressesAreAdded() {
        // refused before any command runs, so no namespace is needed to see it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabNamespace().addAddress("2001:db8::1"));
        assertTrue(e.getMessage().contains("not a lab address"), e.getMessage());
    }

    @Test
    void delaysAreWrittenWithTheirUnit() {
        assertEquals(Duration.ofNanos(200_000), LabNamespace.parseDelay("200us"));
        assertEquals(Duration.ofNanos(500_000), LabNamespace.parseDelay("0.5ms"));
        assertEquals(Duration.ofSeconds(1), LabNamespace.parseDelay("1s"));
    }

    @Test
    void malformedOrHugeDelaysAreRefused() {
        for (String bad : new String[]{"200", "-1ms", "1h", "ms", "11s", "1e3us"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabNamespace.parseDelay(bad));
            assertTrue(e.getMessage().contains("200us"), e.getMessage());
        }
    }
}

package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ri1DirectSimulationTest {

    @Test
    void labInstanceListBecomesOneFeederRecordPerInstance() {
        var records = Ri1DirectSimulation.addresses(" a-1=fd00:70ea::a:1  a-2=fd00:70ea::a:2 ");

        assertEquals(2, records.size());
        assertEquals("a-1", records.get(0).get("name"));
        assertEquals("fd00:70ea::a:1", records.get(0).get("address"));
        assertEquals("fd00:70ea::a:2", records.get(1).get("address"));
    }

    @ParameterizedTest
    @CsvSource({"a-1", "=fd00::1", "a-1="})
    void instanceWithoutNameAndAddressIsRejected(String entry) {
        assertThrows(IllegalArgumentException.class, () -> Ri1DirectSimulation.addresses(entry));
    }
}

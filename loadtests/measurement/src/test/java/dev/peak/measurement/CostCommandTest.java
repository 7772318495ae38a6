package dev.peak.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CostCommandTest {

    @Test
    void aCommandReadsBackFromItsLine() {
        CostCommand order = new CostCommand(1000);
        assertEquals("cost 1000", order.toLine());
        assertTrue(CostCommand.is(order.toLine()));
        assertEquals(order, CostCommand.parse("  cost   1000 "));
    }

    @Test
    void levelLinesAreNotCostLines() {
        assertFalse(CostCommand.is(new LevelCommand(1, 100, 0, 1000).toLine()));
        assertFalse(CostCommand.is(LevelCommand.STOP));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "cost                | not a cost command",
            "cost 10 20          | not a cost command",
            "cost many           | not a cost command",
            "cost -1             | 0 or more rounds"})
    void malformedLinesAreRefusedWithTheReason(String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostCommand.parse(line));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}

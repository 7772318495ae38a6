package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CpuBudgetsTest {

    @Test
    void peakDnsGetsTheProxyBudget() {
        CpuBudgets budgets = new CpuBudgets(0.5, 1.5, 1.0);
        assertEquals(budgets.of(Role.PROXY), budgets.of(Role.DNS));
        assertEquals(2, budgets.processors(Role.DNS));
    }

    @Test
    void processorsAreTheBudgetRoundedUp() {
        assertEquals(1, CpuBudgets.DEFAULT.processors(Role.SERVER));
        assertEquals(1, CpuBudgets.DEFAULT.processors(Role.PROXY));
    }

    @Test
    void budgetsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0.5, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0.5, 1, 65));
    }

    @Test
    void quotaIsTheBudgetTimesThePeriod() {
        assertEquals(50_000, CpuControl.quotaMicros(0.5));
        assertEquals(100_000, CpuControl.quotaMicros(1));
    }

    @Test
    void pinningKeepsTheLastCpuForTheLoadGenerator() {
        CpuControl pinning = new CpuControl.Pinning(4, "test");
        assertEquals(java.util.List.of("taskset", "-c", "3", "gatling"),
                pinning.wrap("load", Role.LOAD, 1, java.util.List.of("gatling")));
        assertEquals(java.util.List.of("taskset", "-c", "0,1,2", "java"),
                pinning.wrap("a-1", Role.SERVER, 0.5, java.util.List.of("java")));
    }
}

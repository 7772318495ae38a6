package dev.peak.driver.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Variant;

class CpuBudgetsTest {

    private final CpuBudgets budgets = new CpuBudgets(0.2, 0.3, 1.0);

    @Test
    void peakDnsGetsTheProxyBudget() {
        CpuBudgets budgets = new CpuBudgets(0.5, 1.5, 1.0);
        assertEquals(budgets.of(BudgetClass.PROXY), budgets.of(BudgetClass.DNS));
        assertEquals(2, budgets.processors(BudgetClass.DNS));
    }

    @Test
    void processorsAreTheBudgetRoundedUp() {
        assertEquals(1, CpuBudgets.DEFAULT.processors(BudgetClass.SERVER));
        assertEquals(1, CpuBudgets.DEFAULT.processors(BudgetClass.PROXY));
    }

    @Test
    void budgetsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0.5, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuBudgets(0.5, 1, 65));
    }

    @Test
    void aSystemNeedsItsServersAndWhatBalancesThem() {
        assertEquals(0.4, budgets.system(Variant.RI1_DIRECT, 2, 1), 1e-9);
        assertEquals(0.4 + 0.3, budgets.system(Variant.RI1_HAPROXY, 2, 1), 1e-9);
        assertEquals(0.4 + 0.6, budgets.system(Variant.RI1_PEAK, 2, 2), 1e-9, "two peak-dns replicas");
        // one A and one B per server, a sidecar beside each, and the ingress
        assertEquals(0.8 + 0.3 + 4 * 0.3, budgets.system(Variant.RI2_MESH, 2, 1), 1e-9);
    }

    @Test
    void theDefaultsFitOneServerOfEveryVariantAndFourRi1ServersOnOneCpu() {
        for (Variant variant : Variant.values()) {
            assertEquals(true, CpuBudgets.DEFAULT.system(variant, 1, 1) <= 1.0 + 1e-9, variant.id());
        }
        assertEquals(true, CpuBudgets.DEFAULT.system(Variant.RI1_HAPROXY, 4, 1) <= 1.0 + 1e-9);
    }

    @Test
    void theMiniatureKeepsTheRatiosAndTheGenerator() {
        CpuBudgets small = budgets.scaled(0.5);
        assertEquals(0.1, small.server(), 1e-9);
        assertEquals(0.15, small.proxy(), 1e-9);
        assertEquals(1.0, small.load());
    }

    @Test
    void aQuotaIsTheBudgetTimesThePeriodAndTheBurstAShareOfIt() {
        CpuEnforcement enforcement = new CpuEnforcement(Duration.ofMillis(100), 1.0);
        assertEquals(20_000, enforcement.quotaMicros(0.2));
        assertEquals(20_000, enforcement.burstMicros(0.2));
        assertEquals(1_000, new CpuEnforcement(Duration.ofMillis(5), 0).quotaMicros(0.02), "the kernel's least quota");
        assertThrows(IllegalArgumentException.class, () -> new CpuEnforcement(Duration.ofMillis(100), 1.5));
        assertThrows(IllegalArgumentException.class, () -> new CpuEnforcement(Duration.ofMillis(2000), 0));
    }
}

package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.peak.driver.lab.CpuBudgets;

class ExperimentTest {

    @Test
    void theMiniaturesFixedRatesAreFractionsOfWhatServersOfTheVariantsSizeSustain() {
        CpuBudgets ri1 = CpuBudgets.DEFAULT;
        CpuBudgets ri2 = CpuBudgets.DEFAULT.scaled(0.294);
        assertEquals(5653 * 0.294, Experiment.baselineFor(5653.0, ri2, ri1), 1e-6,
                "RI2 shrunk to 0.294× of RI1's budgets is measured at fractions of 0.294× RI1's capacity");
        assertEquals(5653, Experiment.baselineFor(5653.0, ri1, ri1), 1e-6);
        assertNull(Experiment.baselineFor(null, ri2, ri1), "no baseline measured: no fixed rates");
    }
}

package dev.peak.model.usl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Fitting the Universal Scalability Law: what it recovers, its intervals, its peak, what it refuses. */
class UslFitTest {

    private static double usl(double lambda, double sigma, double kappa, double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    private static int[] servers(int maxServers, int repeats) {
        int[] servers = new int[maxServers * repeats];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = i / repeats + 1;
        }
        return servers;
    }

    private static double[] throughput(int[] servers, double lambda, double sigma, double kappa) {
        double[] throughput = new double[servers.length];
        for (int i = 0; i < servers.length; i++) {
            throughput[i] = usl(lambda, sigma, kappa, servers[i]);
        }
        return throughput;
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertEquals(expected, actual, Math.abs(expected) * tolerance, what);
    }

    @Test
    void noiselessDataGivesBackSigmaAndKappa() {
        int[] servers = servers(8, 1);
        UslFit fit = UslFit.fit(servers, throughput(servers, 1000, 0.05, 0.002));

        assertRelative(1000, fit.lambda(), 1e-12, "lambda");
        assertRelative(0.05, fit.sigma(), 1e-6, "sigma");
        assertRelative(0.002, fit.kappa(), 1e-6, "kappa");
        assertEquals(1, fit.rSquared(), 1e-12);
        assertFalse(fit.kappaIndistinguishableFromZero());
    }

    @Test
    void trueValuesLieWithinTheConfidenceIntervalsOfSlightlyNoisyData() {
        int[] servers = servers(4, 3);
        double[] throughput = throughput(servers, 1000, 0.05, 0.002);
        Random random = new Random(42);
        for (int i = 0; i < throughput.length; i++) {
            throughput[i] *= 1 + 0.02 * (random.nextDouble() - 0.5);
        }
        UslFit fit = UslFit.fit(servers, throughput);

        assertTrue(fit.sigmaLow() <= 0.05 && 0.05 <= fit.sigmaHigh(), "sigma interval " + fit);
        assertTrue(fit.kappaLow() <= 0.002 && 0.002 <= fit.kappaHigh(), "kappa interval " + fit);
        assertTrue(fit.sigmaLow() < fit.sigma() && fit.sigma() < fit.sigmaHigh(), "sigma inside " + fit);
        assertTrue(fit.kappaLow() < fit.kappa() && fit.kappa() < fit.kappaHigh(), "kappa inside " + fit);
        assertTrue(fit.rSquared() > 0.99 && fit.rSquared() < 1, "r squared " + fit);
    }

    @Test
    void linearDataLeavesKappaIndistinguishableFromZeroAndNoPeak() {
        int[] servers = servers(4, 3);
        UslFit fit = UslFit.fit(servers, throughput(servers, 1000, 0, 0));

        assertEquals(0, fit.sigma(), 1e-9);
        assertEquals(0, fit.kappa(), 1e-12);
        assertTrue(fit.kappaIndistinguishableFromZero(), fit.toString());
        assertEquals(Double.POSITIVE_INFINITY, fit.peakServers());
    }

    @Test
    void aKnownPeakIsReported() {
        int[] servers = servers(4, 2);
        UslFit fit = UslFit.fit(servers, throughput(servers, 500, 0.1, 0.01));

        assertEquals(Math.sqrt(0.9 / 0.01), fit.peakServers(), 1e-5);
        assertEquals(9.4868, fit.peakServers(), 1e-4);
        assertTrue(fit.throughput(fit.peakServers()) > fit.throughput(9) && fit.throughput(fit.peakServers()) > fit.throughput(10));
    }

    @Test
    void withoutContentionOrCrosstalkTheThroughputGrowsForever() {
        UslFit fit = new UslFit(1000, 0.1, 0, 0, 0.2, 0, 0, 4, 2, 1);

        assertEquals(Double.POSITIVE_INFINITY, fit.peakServers());
    }

    @Test
    void contentionOfOneOrMoreLeavesThePeakAtOneServer() {
        UslFit fit = new UslFit(1000, 1.5, 0.01, 1, 2, 0, 0.02, 4, 2, 1);

        assertEquals(1, fit.peakServers());
        assertTrue(fit.throughput(1) > fit.throughput(2));
    }

    @Test
    void lambdaIsTheMeanThroughputAtTheSmallestServerCountPerServer() {
        UslFit fromOne = UslFit.fit(new int[] {1, 1, 2, 3}, new double[] {900, 1100, 1900, 2700});
        UslFit fromTwo = UslFit.fit(new int[] {3, 2, 2, 4}, new double[] {2700, 1800, 2200, 3400});

        assertEquals(1000, fromOne.lambda(), 1e-9);
        assertEquals(1000, fromTwo.lambda(), 1e-9);
    }

    @Test
    void throughputIsTheLawWithTheFittedParameters() {
        UslFit fit = new UslFit(1000, 0.05, 0.002, 0, 0.1, 0, 0.004, 4, 2, 1);

        assertEquals(1000, fit.throughput(1), 1e-9);
        assertEquals(usl(1000, 0.05, 0.002, 6), fit.throughput(6), 1e-9);
    }

    @Test
    void degreesOfFreedomArePointsLessThreeForLambdaCameFromTheDataToo() {
        int[] servers = servers(4, 3);
        UslFit fit = UslFit.fit(servers, throughput(servers, 1000, 0.05, 0.002));

        assertEquals(12, fit.points());
        assertEquals(9, fit.degreesOfFreedom());
    }

    @Test
    void withoutDegreesOfFreedomTheIntervalsAreUndefined() {
        UslFit fit = UslFit.fit(new int[] {1, 2, 3}, new double[] {1000, 1800, 2500});

        assertEquals(0, fit.degreesOfFreedom());
        assertTrue(Double.isNaN(fit.sigmaLow()) && Double.isNaN(fit.sigmaHigh()), fit.toString());
        assertTrue(Double.isNaN(fit.kappaLow()) && Double.isNaN(fit.kappaHigh()), fit.toString());
        assertTrue(fit.kappaIndistinguishableFromZero());
    }

    @Test
    void whenOnlyOneServerCountAboveOneIsMeasuredTheIntervalsAreUndefined() {
        // σ and κ only act together at a single N > 1: any mix of them fits, the covariance is singular
        UslFit fit = UslFit.fit(new int[] {1, 1, 2, 2}, new double[] {990, 1010, 1790, 1810});

        assertEquals(1, fit.degreesOfFreedom());
        assertTrue(Double.isNaN(fit.sigmaLow()) && Double.isNaN(fit.kappaHigh()), fit.toString());
        assertTrue(fit.kappaIndistinguishableFromZero());
    }

    @Test
    void rSquaredIsOneLessTheShareOfVarianceLeftInTheResiduals() {
        int[] servers = {1, 2, 3, 4};
        double[] throughput = {1000, 1900, 2600, 3500};
        UslFit fit = UslFit.fit(servers, throughput);

        double mean = (1000 + 1900 + 2600 + 3500) / 4.0;
        double rss = 0;
        double tss = 0;
        for (int i = 0; i < servers.length; i++) {
            rss += Math.pow(throughput[i] - fit.throughput(servers[i]), 2);
            tss += Math.pow(throughput[i] - mean, 2);
        }
        assertEquals(1 - rss / tss, fit.rSquared(), 1e-12);
        assertTrue(fit.rSquared() < 1);
    }

    @Test
    void arraysOfDifferentLengthsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> UslFit.fit(new int[] {1, 2, 3}, new double[] {1000, 1900}));
        assertTrue(e.getMessage().contains("differ in length"), e.getMessage());
    }

    @Test
    void fewerThanTwoPointsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> UslFit.fit(new int[] {1}, new double[] {1000}));
        assertTrue(e.getMessage().contains("at least 2 points"), e.getMessage());
    }

    @Test
    void serverCountsBelowOneAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> UslFit.fit(new int[] {0, 1, 2}, new double[] {1, 1000, 1900}));
        assertTrue(e.getMessage().contains("servers[0]"), e.getMessage());
    }

    @Test
    void throughputsThatAreNotFiniteAndPositiveAreRefused() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> UslFit.fit(new int[] {1, 2, 3}, new double[] {1000, bad, 2700}));
            assertTrue(e.getMessage().contains("throughput[1]"), e.getMessage());
        }
    }

    @Test
    void aSingleServerCountIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> UslFit.fit(new int[] {2, 2, 2}, new double[] {1900, 1950, 2000}));
        assertTrue(e.getMessage().contains("2 distinct server counts"), e.getMessage());
    }
}

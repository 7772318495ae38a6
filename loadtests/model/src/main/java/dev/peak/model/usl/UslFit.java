package dev.peak.model.usl;

import java.util.Arrays;
import java.util.Objects;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer.Optimum;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.util.Pair;

/**
 * A fit of Gunther's Universal Scalability Law, {@code X(N) = λN / (1 + σ(N − 1) + κN(N − 1))}, to the maximum
 * throughputs one variant reached at a few server counts. The lab only measures one to four servers; the fit is
 * how we say what more servers would bring, where the throughput would peak, and whether the crosstalk
 * (κ) the data suggests is real or could as well be noise, which is why it carries confidence intervals.
 *
 * <p>As Gunther does, λ is not fitted but taken from the smallest server count (its mean throughput divided by
 * that count), which keeps the fit anchored where the lab measures best. λ still comes from the data, so the
 * intervals count it as estimated: n points leave n − 3 degrees of freedom. With one repeat of N = 1..4 that is
 * one, and the intervals are wide; treating λ as known would make them about four times narrower and cover the
 * true value only nine times in ten.
 *
 * @param lambda           throughput of one server, from the measurements at the smallest server count
 * @param sigma            contention σ, at least 0
 * @param kappa            coherency (crosstalk) κ, at least 0
 * @param sigmaLow         lower end of σ's 95 % confidence interval; may be negative; NaN when undefined
 * @param sigmaHigh        upper end of σ's 95 % confidence interval; NaN when undefined
 * @param kappaLow         lower end of κ's 95 % confidence interval; may be negative; NaN when undefined
 * @param kappaHigh        upper end of κ's 95 % confidence interval; NaN when undefined
 * @param points           how many measurements were fitted
 * @param degreesOfFreedom {@code points − 3}: σ, κ and λ
 * @param rSquared         {@code 1 − RSS/TSS} on the throughputs; NaN when they do not vary at all
 */
public record UslFit(double lambda, double sigma, double kappa,
                     double sigmaLow, double sigmaHigh, double kappaLow, double kappaHigh,
                     int points, int degreesOfFreedom, double rSquared) {

    private static final int FITTED_PARAMETERS = 2;
    private static final double CONFIDENCE = 0.95;
    // Typical of software systems and small enough not to start LM beyond a peak the data does not have
    private static final double[] START = {0.01, 0.0001};
    // LM converges in a few dozen evaluations on this two-parameter problem; the bound only stops a runaway
    private static final int MAX_EVALUATIONS = 10_000;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double SINGULARITY_THRESHOLD = 1e-12;

    /**
     * Fits σ and κ to {@code (servers[i], throughput[i])} by least squares, with 95 % confidence intervals.
     * Several points may share a server count (repeats).
     *
     * @throws IllegalArgumentException when the arrays differ in length, hold fewer than 2 points or fewer than
     *                                  2 distinct server counts, a server count is below 1 or a throughput is
     *                                  not finite and positive
     */
    public static UslFit fit(int[] servers, double[] throughput) {
        validate(servers, throughput);
        int n = servers.length;
        double lambda = lambda(servers, throughput);

        LeastSquaresProblem problem = new LeastSquaresBuilder()
                .model(model(servers, lambda))
                .target(throughput.clone())
                .start(START.clone())
                .parameterValidator(UslFit::nonNegative)
                .maxEvaluations(MAX_EVALUATIONS)
                .maxIterations(MAX_ITERATIONS)
                .build();
        Optimum optimum = new LevenbergMarquardtOptimizer().optimize(problem);
        double sigma = optimum.getPoint().getEntry(0);
        double kappa = optimum.getPoint().getEntry(1);

        RealVector residuals = optimum.getResiduals();
        double rss = residuals.dotProduct(residuals);
        double mean = Arrays.stream(throughput).average().orElseThrow();
        double tss = Arrays.stream(throughput).map(x -> (x - mean) * (x - mean)).sum();
        double rSquared = tss > 0 ? 1 - rss / tss : Double.NaN;

        int dof = n - FITTED_PARAMETERS - 1;
        double[] halfWidth = halfWidths(optimum, servers, dof, rss);
        return new UslFit(lambda, sigma, kappa,
                sigma - halfWidth[0], sigma + halfWidth[0], kappa - halfWidth[1], kappa + halfWidth[1],
                n, dof, rSquared);
    }

    /** The throughput the fit predicts at {@code n} servers. */
    public double throughput(double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /**
     * The server count at which the throughput peaks: {@code sqrt((1 − σ)/κ)} (Gunther), or +Infinity when
     * κ ≤ 0 (no peak: it grows, possibly flat towards λ/σ). When σ ≥ 1 the throughput never grows beyond one
     * server, and the answer is 1.
     */
    public double peakServers() {
        // dX/dN has the sign of 1 − σ − κN², so with σ ≥ 1 it falls (or stays flat) from N = 1 on, where
        // Gunther's formula would take the root of a negative number
        if (sigma >= 1) {
            return 1;
        }
        if (kappa <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.sqrt((1 - sigma) / kappa);
    }

    /** Whether the data cannot tell κ from 0: its confidence interval contains 0 (or is undefined). */
    public boolean kappaIndistinguishableFromZero() {
        // kappaHigh ≥ κ ≥ 0 always, so the interval holds 0 exactly when its lower end does not exceed it
        return Double.isNaN(kappaLow) || kappaLow <= 0;
    }

    private static void validate(int[] servers, double[] throughput) {
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(throughput, "throughput");
        if (servers.length != throughput.length) {
            throw new IllegalArgumentException("servers and throughput differ in length: "
                    + servers.length + " and " + throughput.length);
        }
        if (servers.length < 2) {
            throw new IllegalArgumentException("a USL fit needs at least 2 points, got " + servers.length);
        }
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] < 1) {
                throw new IllegalArgumentException("servers[" + i + "] is " + servers[i] + ": a server count is at least 1");
            }
            if (!Double.isFinite(throughput[i]) || throughput[i] <= 0) {
                throw new IllegalArgumentException("throughput[" + i + "] is " + throughput[i]
                        + ": a throughput must be finite and positive");
            }
        }
        if (Arrays.stream(servers).distinct().count() < 2) {
            throw new IllegalArgumentException("all points are at " + servers[0]
                    + " servers: a USL fit needs at least 2 distinct server counts");
        }
    }

    private static double lambda(int[] servers, double[] throughput) {
        int smallest = Arrays.stream(servers).min().orElseThrow();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == smallest) {
                sum += throughput[i];
                count++;
            }
        }
        return sum / count / smallest;
    }

    /** The model's throughputs at each point and its Jacobian in (σ, κ), for fixed λ. */
    private static MultivariateJacobianFunction model(int[] servers, double lambda) {
        return point -> {
            double sigma = point.getEntry(0);
            double kappa = point.getEntry(1);
            double[] values = new double[servers.length];
            double[][] jacobian = new double[servers.length][2];
            for (int i = 0; i < servers.length; i++) {
                double n = servers[i];
                double denominator = 1 + sigma * (n - 1) + kappa * n * (n - 1);
                values[i] = lambda * n / denominator;
                // ∂X/∂σ = −λN(N−1)/D², ∂X/∂κ = −λN·N(N−1)/D²
                double dSigma = -lambda * n * (n - 1) / (denominator * denominator);
                jacobian[i][0] = dSigma;
                jacobian[i][1] = dSigma * n;
            }
            return new Pair<>(new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
        };
    }

    // Negative σ or κ would mean superlinear scaling the law does not describe, and a negative denominator
    // beyond some N; clamping keeps LM inside the model's domain
    private static RealVector nonNegative(RealVector point) {
        return new ArrayRealVector(new double[] {Math.max(0, point.getEntry(0)), Math.max(0, point.getEntry(1))});
    }

    /** The 95 % half-widths of σ and κ, NaN when the data cannot give them. */
    private static double[] halfWidths(Optimum optimum, int[] servers, int dof, double rss) {
        double[] undefined = {Double.NaN, Double.NaN};
        // Every row of the Jacobian is proportional to (1, N), and zero at N = 1: it only has rank 2 with two
        // distinct server counts above 1. The QR threshold alone can miss that, as the entries are of order λ².
        long informative = Arrays.stream(servers).filter(s -> s > 1).distinct().count();
        if (dof <= 0 || informative < FITTED_PARAMETERS) {
            return undefined;
        }
        RealMatrix covariance;
        try {
            covariance = optimum.getCovariances(SINGULARITY_THRESHOLD);
        } catch (SingularMatrixException e) {
            return undefined;
        }
        double residualVariance = rss / dof;
        double t = new TDistribution(dof).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double[] halfWidth = new double[FITTED_PARAMETERS];
        for (int k = 0; k < FITTED_PARAMETERS; k++) {
            double variance = covariance.getEntry(k, k) * residualVariance;
            // A nearly singular inverse can come out negative or infinite rather than throw
            halfWidth[k] = Double.isFinite(variance) && variance >= 0 ? t * Math.sqrt(variance) : Double.NaN;
        }
        return halfWidth;
    }
}

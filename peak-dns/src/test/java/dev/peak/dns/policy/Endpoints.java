package dev.peak.dns.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.peak.dns.endpoint.Endpoint;

/** Endpoints for policy tests: documentation addresses, never contacted. */
final class Endpoints {

    private Endpoints() {
    }

    static List<Endpoint> of(int count) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            endpoints.add(endpoint("2001:db8::" + Integer.toHexString(i), 1));
        }
        return List.copyOf(endpoints);
    }

    static Endpoint endpoint(String address, int weight) {
        try {
            return new Endpoint(InetAddress.getByName(address), weight);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Pearson's chi-square of observed counts against expected ones. With df = 2..4 a value above 30
     * has a probability below 1e-5 under the null hypothesis: a failure means a biased policy, not bad luck.
     */
    static double chiSquare(long[] observed, double[] expected) {
        double sum = 0;
        for (int i = 0; i < observed.length; i++) {
            double d = observed[i] - expected[i];
            sum += d * d / expected[i];
        }
        return sum;
    }

    /**
     * Pearson's chi-square test of homogeneity: whether two samples of counts over the same outcomes
     * come from one distribution. Outcomes neither sample saw are left out. Read as {@link #chiSquare}.
     */
    static double homogeneity(long[] first, long[] second) {
        long n1 = Arrays.stream(first).sum();
        long n2 = Arrays.stream(second).sum();
        double sum = 0;
        for (int i = 0; i < first.length; i++) {
            long column = first[i] + second[i];
            if (column == 0) {
                continue;
            }
            double e1 = (double) n1 * column / (n1 + n2);
            double e2 = (double) n2 * column / (n1 + n2);
            sum += (first[i] - e1) * (first[i] - e1) / e1 + (second[i] - e2) * (second[i] - e2) / e2;
        }
        return sum;
    }
}

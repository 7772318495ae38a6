package dev.peak.model.simulation;

import java.util.Arrays;

/**
 * A segment tree over n keys that finds the smallest in O(1) and changes one in O(log n): least-loaded and
 * least-connections choices among 10,000 servers, per request, without a scan.
 */
final class MinTree {

    private final int leaves;
    private final double[] keys;
    private final int[] argmin;

    MinTree(int n) {
        int size = 1;
        while (size < n) {
            size <<= 1;
        }
        leaves = size;
        keys = new double[2 * size];
        argmin = new int[2 * size];
        Arrays.fill(keys, Double.POSITIVE_INFINITY);
        for (int i = 0; i < size; i++) {
            argmin[size + i] = i;
        }
        for (int node = size - 1; node >= 1; node--) {
            pull(node);
        }
    }

    void set(int index, double key) {
        int node = leaves + index;
        keys[node] = key;
        for (node >>>= 1; node >= 1; node >>>= 1) {
            pull(node);
        }
    }

    double get(int index) {
        return keys[leaves + index];
    }

    /** The index with the smallest key (the leftmost of equals); its key is infinite when all are. */
    int min() {
        return argmin[1];
    }

    double minKey() {
        return keys[1];
    }

    private void pull(int node) {
        int left = 2 * node;
        int right = left + 1;
        boolean leftWins = keys[left] <= keys[right];
        keys[node] = leftWins ? keys[left] : keys[right];
        argmin[node] = leftWins ? argmin[left] : argmin[right];
    }
}

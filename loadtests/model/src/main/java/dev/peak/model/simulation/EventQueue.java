package dev.peak.model.simulation;

import java.util.Arrays;

/**
 * The future event list: a binary min-heap of (time, event) kept in two primitive arrays. A simulation of 10,000
 * servers handles tens of millions of events; a heap of objects (java.util.PriorityQueue, or a DES library's event
 * nodes) would allocate one per event.
 */
final class EventQueue {

    private double[] times = new double[1024];
    private long[] events = new long[1024];
    private int size;

    void add(double time, long event) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            times[i] = times[parent];
            events[i] = events[parent];
            i = parent;
        }
        times[i] = time;
        events[i] = event;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest event's time; the queue must not be empty. */
    double peekTime() {
        return times[0];
    }

    /** Removes the earliest event and returns it; {@link #peekTime()} first for its time. */
    long poll() {
        long top = events[0];
        int last = --size;
        double time = times[last];
        long event = events[last];
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < last && times[child + 1] < times[child]) {
                child++;
            }
            if (time <= times[child]) {
                break;
            }
            times[i] = times[child];
            events[i] = events[child];
            i = child;
        }
        times[i] = time;
        events[i] = event;
        return top;
    }

    int size() {
        return size;
    }
}

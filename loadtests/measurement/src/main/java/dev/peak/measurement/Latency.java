package dev.peak.measurement;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.zip.DataFormatException;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * The latencies of one request kind in one level: percentiles in milliseconds and, for adding several
 * generators' figures, the histogram they come from. This is the one HdrHistogram codec of the suite:
 * {@code hdr} is the base64 of the compressed histogram, values in microseconds, 3 significant digits.
 *
 * @param count latencies recorded (OK requests only: failed ones are counted, not timed)
 */
public record Latency(long count, double p50Ms, double p90Ms, double p95Ms, double p99Ms, double maxMs, double meanMs,
                      String hdr) {

    /** Significant digits of every histogram: 0.1 % resolution at any latency. */
    public static final int SIGNIFICANT_DIGITS = 3;

    public static final Latency NONE = of(new Histogram(SIGNIFICANT_DIGITS));

    /** The figures of {@code histogram} (microseconds), and the histogram itself. */
    public static Latency of(AbstractHistogram histogram) {
        long count = histogram.getTotalCount();
        return new Latency(count, millis(histogram, 50), millis(histogram, 90), millis(histogram, 95),
                millis(histogram, 99), count == 0 ? 0 : histogram.getMaxValue() / 1000.0,
                count == 0 ? 0 : Math.round(histogram.getMean()) / 1000.0, encode(histogram));
    }

    /** The latencies of several generators (or levels) as one: their histograms added, the figures recomputed. */
    public static Latency sum(Collection<Latency> parts) {
        Histogram sum = new Histogram(SIGNIFICANT_DIGITS);
        for (Latency part : parts) {
            sum.add(part.histogram());
        }
        return of(sum);
    }

    /** The histogram behind the figures (microseconds). */
    public Histogram histogram() {
        if (hdr == null || hdr.isEmpty()) {
            if (count > 0) {
                throw new IllegalArgumentException("a latency of " + count + " samples carries no histogram");
            }
            return new Histogram(SIGNIFICANT_DIGITS);
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(hdr)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a compressed HdrHistogram: " + e.getMessage(), e);
        }
    }

    private static double millis(AbstractHistogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String encode(AbstractHistogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }
}

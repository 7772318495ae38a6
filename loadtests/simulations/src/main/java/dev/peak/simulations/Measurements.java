package dev.peak.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The figures one run records for the experiment driver (Gatling keeps its own only in a binary log) and
 * their JSON form; thread-safe, because Gatling runs the recording steps on its event loops.
 *
 * <p>Latencies are HdrHistograms in microseconds and hold OK requests and OK sessions only; KO ones are
 * counted, not timed. Seconds in {@code perSecond} count from {@link #start}, by completion time.
 */
public final class Measurements {

    /** The latency entry every simulation has: one client session, from its first step to its last. */
    public static final String SESSION = "session";
    /**
     * The lines around the JSON printed to stdout ({@code peak.out=-}): a generator pod's log also holds
     * Gatling's console. The driver looks for the same two lines (its ClusterLoadGenerator).
     */
    static final String RESULT_BEGIN = "--- peak simulation result begin ---";
    static final String RESULT_END = "--- peak simulation result end ---";

    private static final int SIGNIFICANT_DIGITS = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String simulation;
    private final Parameters parameters;
    /** Filled once in the constructor, read-only afterwards: safe to share without locking. */
    private final Map<String, ConcurrentHistogram> latencies = new LinkedHashMap<>();
    private final LongAdder sessionsOk = new LongAdder();
    private final LongAdder sessionsKo = new LongAdder();
    private final LongAdder requestsOk = new LongAdder();
    private final LongAdder requestsKo = new LongAdder();
    private final Map<Long, Second> perSecond = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perInstance = new ConcurrentHashMap<>();
    private final long startEpochMs;
    private final long startNanos;
    private final long startCpuNanos;
    private volatile long endEpochMs;
    private volatile long endNanos;
    private volatile long endCpuNanos;

    private record Second(LongAdder ok, LongAdder ko) {
        Second() {
            this(new LongAdder(), new LongAdder());
        }
    }

    private Measurements(String simulation, Parameters parameters, List<String> requestKinds) {
        this.simulation = simulation;
        this.parameters = parameters;
        latencies.put(SESSION, new ConcurrentHistogram(SIGNIFICANT_DIGITS));
        for (String kind : requestKinds) {
            latencies.put(kind, new ConcurrentHistogram(SIGNIFICANT_DIGITS));
        }
        startEpochMs = System.currentTimeMillis();
        startNanos = System.nanoTime();
        startCpuNanos = processCpuNanos();
    }

    /** Starts the clocks (wall, monotonic, this process's CPU); {@code requestKinds} name the latency entries. */
    public static Measurements start(String simulation, Parameters parameters, List<String> requestKinds) {
        return new Measurements(simulation, parameters, requestKinds);
    }

    /** The {@link System#nanoTime()} that second 0 of {@code perSecond} starts at. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * One request, from its {@code nanoTime} before sending to the one after its checks.
     *
     * @param instances the instance names the response carried (counted only when {@code ok})
     */
    public void recordRequest(String kind, long sentNanos, long doneNanos, boolean ok, Collection<String> instances) {
        ConcurrentHistogram histogram = histogram(kind);
        Second second = perSecond.computeIfAbsent(secondOf(doneNanos), s -> new Second());
        (ok ? second.ok() : second.ko()).increment();
        if (settling(sentNanos)) {
            return;
        }
        if (ok) {
            histogram.recordValue(micros(sentNanos, doneNanos));
            requestsOk.increment();
            for (String instance : instances) {
                perInstance.computeIfAbsent(instance, name -> new LongAdder()).increment();
            }
        } else {
            requestsKo.increment();
        }
    }

    /** Started while the run was still settling ({@link Parameters#settle}): left out of the figures. */
    private boolean settling(long startedNanos) {
        return startedNanos - startNanos < parameters.settle().toNanos();
    }

    /** One client session, KO when any of its requests was. */
    public void recordSession(long startedNanos, long doneNanos, boolean ok) {
        if (settling(startedNanos)) {
            return;
        }
        if (ok) {
            histogram(SESSION).recordValue(micros(startedNanos, doneNanos));
            sessionsOk.increment();
        } else {
            sessionsKo.increment();
        }
    }

    /** Stops the clocks; call once, after the last user ended. */
    public void finish() {
        endEpochMs = System.currentTimeMillis();
        endNanos = System.nanoTime();
        endCpuNanos = processCpuNanos();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        JSON.writeValue(partial.toFile(), toJson());
        // Whole or absent: the driver may read the file the moment the child exits
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Prints the JSON between {@link #RESULT_BEGIN} and {@link #RESULT_END}, for a generator whose only output
     * is its log (a pod). One print call: the stream's lock keeps Gatling's and Logback's lines out of it.
     */
    public void print(PrintStream out) throws IOException {
        out.print(RESULT_BEGIN + "\n" + JSON.writeValueAsString(toJson()) + "\n" + RESULT_END + "\n");
        out.flush();
    }

    /** The JSON tree written to {@code peak.out} (field order as the driver documents it). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("simulation", simulation);
        json.put("rate", parameters.rate());
        json.put("durationS", parameters.duration());
        json.put("settleS", parameters.settle().toSeconds());
        json.put("k", parameters.k());
        json.put("cost", parameters.cost());
        json.put("startEpochMs", startEpochMs);
        json.put("endEpochMs", endEpochMs);
        json.put("sessions", okKo(sessionsOk.sum(), sessionsKo.sum()));
        json.put("requests", okKo(requestsOk.sum(), requestsKo.sum()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latencies.forEach((kind, histogram) -> latency.put(kind, summary(histogram.copy())));
        json.put("latency", latency);
        json.put("perSecond", perSecondList());
        Map<String, Long> instances = new TreeMap<>();
        perInstance.forEach((name, count) -> instances.put(name, count.sum()));
        json.put("perInstance", instances);
        json.put("processCpuS", (endCpuNanos - startCpuNanos) / 1e9);
        return json;
    }

    /** Decodes a {@code latency.*.hdr} value (base64 of the compressed histogram, microseconds). */
    public static Histogram decodeHistogram(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a compressed HdrHistogram", e);
        }
    }

    static String encodeHistogram(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private ConcurrentHistogram histogram(String kind) {
        ConcurrentHistogram histogram = latencies.get(kind);
        if (histogram == null) {
            throw new IllegalArgumentException("no latency entry '" + kind + "' in " + latencies.keySet());
        }
        return histogram;
    }

    private long secondOf(long nanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nanos - startNanos));
    }

    private static long micros(long fromNanos, long toNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(toNanos - fromNanos));
    }

    /** Every second from 0 to the last one of the run, including quiet ones: a gap is a finding too. */
    private List<Map<String, Object>> perSecondList() {
        long last = perSecond.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        if (endNanos != 0) {
            last = Math.max(last, secondOf(endNanos) - 1);
        }
        List<Map<String, Object>> seconds = new ArrayList<>();
        for (long t = 0; t <= last; t++) {
            Second second = perSecond.get(t);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t", t);
            row.put("ok", second == null ? 0 : second.ok().sum());
            row.put("ko", second == null ? 0 : second.ko().sum());
            seconds.add(row);
        }
        return seconds;
    }

    private static Map<String, Object> summary(Histogram histogram) {
        Map<String, Object> summary = new LinkedHashMap<>();
        long count = histogram.getTotalCount();
        summary.put("count", count);
        summary.put("p50Ms", millis(count == 0 ? 0 : histogram.getValueAtPercentile(50)));
        summary.put("p95Ms", millis(count == 0 ? 0 : histogram.getValueAtPercentile(95)));
        summary.put("p99Ms", millis(count == 0 ? 0 : histogram.getValueAtPercentile(99)));
        summary.put("maxMs", millis(count == 0 ? 0 : histogram.getMaxValue()));
        summary.put("meanMs", count == 0 ? 0.0 : Math.round(histogram.getMean()) / 1000.0);
        summary.put("hdr", encodeHistogram(histogram));
        return summary;
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    private static Map<String, Long> okKo(long ok, long ko) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ok", ok);
        counts.put("ko", ko);
        return counts;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }
}

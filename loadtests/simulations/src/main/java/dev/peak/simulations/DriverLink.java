package dev.peak.simulations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.peak.measurement.GeneratorLines;
import dev.peak.measurement.GeneratorReport;
import dev.peak.measurement.CostCommand;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * How a generator takes its orders and hands back what it measured ({@link GeneratorLines}): orders from the
 * driver on standard input, measurements as tagged lines on standard output as they happen; or, without a driver,
 * the levels of {@code peak.schedule} one after the other and everything printed at the end.
 */
final class DriverLink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parameters parameters;
    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "peak-levels");
        thread.setDaemon(true);
        return thread;
    });
    private final Levels levels;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong second = new AtomicLong();
    private final List<LevelMeasurement> measured = Collections.synchronizedList(new ArrayList<>());
    private final List<Tick> ticks = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch lastLevel = new CountDownLatch(1);
    private volatile int cost;

    DriverLink(Parameters parameters, String primary, List<String> kinds, PrintStream out) {
        this.parameters = parameters;
        this.out = out;
        this.cost = parameters.cost();
        this.levels = new Levels(parameters.maxRate(), primary, kinds, timer, this::measured,
                level -> window(level, true), level -> window(level, false));
    }

    Levels levels() {
        return levels;
    }

    /** The work cost of sessions starting now: {@code peak.cost} until the driver orders another. */
    int cost() {
        return cost;
    }

    /** Starts the clock of ticks and, with no schedule, the reading of orders from {@code in}. */
    void start(InputStream in) {
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        if (parameters.schedule().isEmpty()) {
            Thread reader = new Thread(() -> readOrders(in), "peak-orders");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** A user arrived: the first one means Gatling is injecting, so orders can take effect. */
    void userArrived() {
        if (ready.compareAndSet(false, true)) {
            if (parameters.schedule().isEmpty()) {
                out.println(GeneratorLines.line(GeneratorLines.READY, "{}"));
                out.flush();
            } else {
                timer.execute(() -> follow(0));
            }
        }
    }

    /** Whether the run is over: the next user stops Gatling. */
    boolean stopped() {
        return stopped.get();
    }

    /** The run ended: without a driver, everything measured is printed now. */
    void finish() {
        levels.halt();
        if (!parameters.schedule().isEmpty()) {
            try {
                // ended early (peak.maxDurationS): the last level may still report, at most one timeout later
                lastLevel.await(parameters.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            // the last, partial second: without it the seconds would miss the requests that ended in it
            timer.submit(this::tick).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (!parameters.schedule().isEmpty()) {
            print(GeneratorLines.RESULT, new GeneratorReport(List.copyOf(measured), List.copyOf(ticks)));
        }
        timer.shutdownNow();
    }

    private void tick() {
        Tick tick = levels.tick(second.getAndIncrement());
        if (parameters.schedule().isEmpty()) {
            print(GeneratorLines.TICK, tick);
        } else {
            ticks.add(tick);
        }
    }

    /** Orders the schedule's level {@code index}; the next one follows when its window closes. */
    private void follow(int index) {
        List<LevelCommand> schedule = parameters.schedule();
        if (index < schedule.size()) {
            levels.order(schedule.get(index), () -> timer.execute(() -> follow(index + 1)));
        }
    }

    private void readOrders(InputStream in) {
        try (BufferedReader orders = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = orders.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals(LevelCommand.STOP)) {
                    break;
                }
                try {
                    if (CostCommand.is(line)) {
                        cost = CostCommand.parse(line).cost();
                    } else {
                        levels.order(LevelCommand.parse(line), () -> { });
                    }
                } catch (IllegalArgumentException e) {
                    System.err.println("peak: ignored order: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            // the driver is gone: stop as if told to
        }
        stop();
    }

    private void stop() {
        levels.halt();
        stopped.set(true);
    }

    private void measured(LevelMeasurement level) {
        if (parameters.schedule().isEmpty()) {
            print(GeneratorLines.LEVEL, level);
        } else {
            measured.add(level);
            if (level.level() == parameters.schedule().get(parameters.schedule().size() - 1).level()) {
                // every request of the last level has ended: the run is over
                lastLevel.countDown();
                stop();
            }
        }
    }

    private void window(int level, boolean open) {
        if (parameters.schedule().isEmpty()) {
            print(GeneratorLines.WINDOW, new GeneratorLines.Window(level, open, System.currentTimeMillis()));
        }
    }

    /** One tagged line, whole: PrintStream writes each println under its lock, so Gatling's lines stay apart. */
    private void print(String tag, Object value) {
        try {
            out.println(GeneratorLines.line(tag, JSON.writeValueAsString(value)));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

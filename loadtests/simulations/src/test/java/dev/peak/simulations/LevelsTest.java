package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.peak.measurement.Counts;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;

/** The generator's levels: thinning, which level a request belongs to, when a level is reported. */
class LevelsTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LinkedBlockingQueue<LevelMeasurement> reported = new LinkedBlockingQueue<>();
    private final List<String> windows = new CopyOnWriteArrayList<>();
    private final Levels levels = new Levels(1000, "work", List.of("work"), timer, reported::add,
            level -> windows.add("open " + level), level -> windows.add("close " + level));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private LevelMeasurement next() throws InterruptedException {
        LevelMeasurement m = reported.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null, "no level reported");
        return m;
    }

    private void awaitOpen(int level) throws InterruptedException {
        for (int i = 0; i < 200 && levels.openLevel() != level; i++) {
            Thread.sleep(10);
        }
        assertEquals(level, levels.openLevel());
    }

    @Test
    void thinningAdmitsUsersInProportionToTheRate() {
        levels.order(new LevelCommand(0, 250, 0, 60_000), () -> { });
        int admitted = 0;
        for (int i = 0; i < 100_000; i++) {
            admitted += levels.admit() ? 1 : 0;
        }
        // binomial(100 000, 0.25): standard deviation ~137
        assertTrue(Math.abs(admitted - 25_000) < 1_000, "admitted " + admitted);
    }

    @Test
    void nothingIsAdmittedBeforeTheFirstOrderNorAfterAHalt() {
        assertTrue(!levels.admit());
        levels.order(new LevelCommand(0, 1000, 0, 60_000), () -> { });
        assertTrue(levels.admit(), "at the maximum rate every user is a session");
        levels.halt();
        assertTrue(!levels.admit());
    }

    @Test
    void aRequestBelongsToTheLevelWhoseWindowWasOpenWhenItWasSent() throws InterruptedException {
        levels.order(new LevelCommand(1, 100, 0, 200), () -> { });
        awaitOpen(1);
        int level = levels.openLevel();
        levels.sessionStarted(level);
        levels.sent(level);
        levels.sent(level);
        levels.ended(level, "work", true, false, 1500, 1500, List.of("a-1"));
        // the window closes while the second request is on its way: the level waits for it
        Thread.sleep(400);
        assertTrue(reported.isEmpty(), "reported before every request of the window ended");
        levels.ended(level, "work", false, false, 5_000_000, 5_000_000, List.of());

        LevelMeasurement m = next();
        assertEquals(1, m.level());
        assertEquals(new Counts(1, 1), m.requests());
        assertEquals(1, m.sessionsStarted());
        assertEquals(1, m.call("work").count(), "failed requests are counted, not timed");
        assertEquals(java.util.Map.of("a-1", 1L), m.perInstance());
        assertEquals(List.of("open 1", "close 1"), windows);
    }

    @Test
    void aLevelIsReportedOnlyAfterItsWindowCloseIsTold() throws InterruptedException {
        List<String> told = new CopyOnWriteArrayList<>();
        Levels[] racing = new Levels[1];
        racing[0] = new Levels(1000, "work", List.of("work"), timer, m -> told.add("level " + m.level()),
                level -> told.add("open " + level), level -> {
                    // the window's last request ends while its close is being told
                    racing[0].ended(level, "work", true, false, 1500, 1500, List.of("a-1"));
                    told.add("close " + level);
                });
        racing[0].order(new LevelCommand(7, 100, 0, 100), () -> { });
        for (int i = 0; i < 200 && racing[0].openLevel() != 7; i++) {
            Thread.sleep(10);
        }
        racing[0].sent(7);
        for (int i = 0; i < 200 && told.size() < 3; i++) {
            Thread.sleep(10);
        }

        assertEquals(List.of("open 7", "close 7", "level 7"), told);
    }

    @Test
    void requestsSentWhileSettlingBelongToNoLevel() throws InterruptedException {
        levels.order(new LevelCommand(2, 100, 300, 100), () -> { });
        int settling = levels.openLevel();
        levels.sent(settling);
        levels.ended(settling, "work", true, false, 100, 100, List.of("a-1"));

        LevelMeasurement m = next();
        assertEquals(-1, settling);
        assertEquals(new Counts(0, 0), m.requests());
    }

    @Test
    void aNewOrderClosesTheOpenWindowAndTakesOverAtOnce() throws InterruptedException {
        levels.order(new LevelCommand(3, 100, 0, 60_000), () -> { });
        awaitOpen(3);
        levels.order(new LevelCommand(4, 500, 0, 60_000), () -> { });

        assertEquals(3, next().level(), "the cut level is reported, its window as long as it was open");
        awaitOpen(4);
    }

    @Test
    void anOrderAboveTheMaximumOrForALevelMeasuredAlreadyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> levels.order(new LevelCommand(5, 1001, 0, 1000), () -> { }));
        levels.order(new LevelCommand(6, 10, 0, 60_000), () -> { });
        assertThrows(IllegalArgumentException.class, () -> levels.order(new LevelCommand(6, 10, 0, 60_000), () -> { }));
    }

    @Test
    void aTickCountsTheRequestsThatEndedSinceTheLast() {
        levels.order(new LevelCommand(7, 100, 60_000, 1000), () -> { });
        levels.ended(-1, "work", true, false, 100, 100, List.of());
        levels.ended(-1, "work", false, false, 100, 100, List.of());
        levels.ended(-1, "work", false, true, 100, 100, List.of());

        var tick = levels.tick(3);
        assertEquals(3, tick.second());
        assertEquals(7, tick.level());
        assertEquals(1, tick.ok());
        assertEquals(2, tick.ko());
        assertEquals(1, tick.shed());
        assertEquals(0, levels.tick(4).ok());
    }

    @Test
    void aShedRequestFailsAndIsCountedApartFromOtherFailures() throws InterruptedException {
        levels.order(new LevelCommand(8, 100, 0, 200), () -> { });
        awaitOpen(8);
        int level = levels.openLevel();
        levels.sent(level);
        levels.sent(level);
        levels.sent(level);
        levels.ended(level, "work", true, false, 1500, 1500, List.of("a-1"));
        levels.ended(level, "work", false, true, 300, 300, List.of());
        levels.ended(level, "work", false, false, 5_000_000, 5_000_000, List.of());

        LevelMeasurement m = next();
        assertEquals(new Counts(1, 2, 1), m.requests());
        assertEquals(1, m.call("work").count(), "a shed request is not timed with the answered ones");
    }
}

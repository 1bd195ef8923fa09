package dev.adi4j.adi.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingLogTest {
    @TempDir
    Path dir;

    static TrainingLog.Step step(int n) {
        Map<String, Double> loss = new LinkedHashMap<>();
        loss.put("anchor", 0.1 * n);
        loss.put("context", 0.2 * n);
        loss.put("action", 0.3 * n);
        Map<String, double[]> kept = new LinkedHashMap<>();
        kept.put("context", new double[]{0.9, 0.8, n / 100.0});
        kept.put("merged", new double[]{0.5, 0.25, 0.125});
        return new TrainingLog.Step(n, 1e-3 / n, loss, kept);
    }

    static void assertSame(TrainingLog.Step want, TrainingLog.Step got) {
        assertEquals(want.step(), got.step());
        assertEquals(want.lr(), got.lr());
        assertEquals(want.loss(), got.loss());
        assertEquals(List.copyOf(want.kept().keySet()), List.copyOf(got.kept().keySet()));
        want.kept().forEach((k, v) -> assertArrayEquals(v, got.kept(k), k));
    }

    @Test
    void appendFlushesEachLineAndReadReturnsRecords() throws IOException {
        Path file = dir.resolve("run/log.jsonl");
        try (TrainingLog log = TrainingLog.open(file)) {
            log.append(step(1));
            // Readable before close: the line was flushed.
            assertEquals(1, TrainingLog.read(file).size());
            log.append(step(2));
            log.append(step(3));
            assertEquals(3, log.lastStep());
        }
        List<TrainingLog.Step> steps = TrainingLog.read(file);
        assertEquals(3, steps.size());
        for (int i = 0; i < 3; i++) assertSame(step(i + 1), steps.get(i));
        assertEquals(List.of("anchor", "context", "action"), List.copyOf(steps.get(0).loss().keySet()));
        assertEquals(3, Files.readAllLines(file).size());
    }

    @Test
    void nonFiniteLossRoundTrips() {
        Path file = dir.resolve("log.jsonl");
        try (TrainingLog log = TrainingLog.open(file)) {
            log.append(new TrainingLog.Step(1, 0.1, Map.of("anchor", Double.NaN, "action", Double.POSITIVE_INFINITY),
                    Map.of()));
        }
        TrainingLog.Step s = TrainingLog.read(file).get(0);
        assertTrue(Double.isNaN(s.loss().get("anchor")));
        assertEquals(Double.POSITIVE_INFINITY, s.loss().get("action"));
    }

    @Test
    void stepsMustIncrease() {
        try (TrainingLog log = TrainingLog.open(dir.resolve("log.jsonl"))) {
            log.append(step(5));
            assertThrows(IllegalArgumentException.class, () -> log.append(step(5)));
            assertThrows(IllegalArgumentException.class, () -> log.append(step(4)));
        }
    }

    @Test
    void truncateAfterDropsLaterStepsAndAppendingContinues() {
        Path file = dir.resolve("log.jsonl");
        try (TrainingLog log = TrainingLog.open(file)) {
            for (int i = 1; i <= 6; i++) log.append(step(i));
            log.truncateAfter(3);
            assertEquals(3, log.lastStep());
            log.append(step(4));
        }
        List<TrainingLog.Step> steps = TrainingLog.read(file);
        assertEquals(List.of(1, 2, 3, 4), steps.stream().map(TrainingLog.Step::step).toList());
        assertSame(step(4), steps.get(3));
        try (TrainingLog log = TrainingLog.open(file)) {
            assertEquals(4, log.lastStep());
            log.truncateAfter(0);
            assertEquals(0, log.lastStep());
        }
        assertEquals(List.of(), TrainingLog.read(file));
        // No temp files left beside the log.
        assertEquals(List.of(file), listDir());
    }

    @Test
    void tornLastLineIsDroppedOnReadAndOpen() throws IOException {
        Path file = dir.resolve("log.jsonl");
        try (TrainingLog log = TrainingLog.open(file)) {
            log.append(step(1));
            log.append(step(2));
        }
        String full = TrainingLog.toJson(step(3));
        Files.writeString(file, full.substring(0, full.length() / 2), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(2, TrainingLog.read(file).size());
        try (TrainingLog log = TrainingLog.open(file)) {
            assertEquals(2, log.lastStep());
            log.append(step(3));
        }
        assertEquals(3, TrainingLog.read(file).size());
    }

    @Test
    void malformedLineInTheMiddleNamesTheLine() throws IOException {
        Path file = dir.resolve("log.jsonl");
        Files.writeString(file, TrainingLog.toJson(step(1)) + "\n{\"step\": \"two\"}\n" + TrainingLog.toJson(step(3)) + "\n");
        TrainingLogException e = assertThrows(TrainingLogException.class, () -> TrainingLog.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 2: \"step\""), e.getMessage());
        assertThrows(TrainingLogException.class, () -> TrainingLog.read(dir.resolve("absent.jsonl")));
    }

    private List<Path> listDir() {
        try (var s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

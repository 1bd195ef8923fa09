package dev.adi4j.mini.base;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainLogSummaryTest {
    @Test
    void sumsEveryWindowOverSessionsAndAveragesTheLastOnes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("train.log");
        StringBuilder sb = new StringBuilder("training from scratch: ...\n");
        for (int s = 10; s <= 150; s += 10) {
            sb.append(String.format(java.util.Locale.ROOT, "step %d/200 loss 0.5 (mean of last 10 %.5f) 0.500 steps/s lr 3.00e-04%n", s, s <= 50 ? 1.0 : 0.1));
            if (s == 80) sb.append("resumed at step 50 from checkpoint.safetensors\n");
        }
        Files.writeString(log, sb.toString());
        TrainLogSummary t = TrainLogSummary.of(log);
        assertEquals(15, t.windows());
        assertEquals(15 * 10 / 0.5, t.trainSeconds(), 1e-9);
        assertEquals(100, t.finalLossSteps());
        assertEquals(0.1, t.finalLoss(), 1e-12, "the last 10 windows all report 0.1");
    }

    @Test
    void aMissingLogGivesNothing(@TempDir Path dir) throws Exception {
        TrainLogSummary t = TrainLogSummary.of(dir.resolve("none.log"));
        assertEquals(0, t.windows());
        assertTrue(Double.isNaN(t.finalLoss()));
    }
}

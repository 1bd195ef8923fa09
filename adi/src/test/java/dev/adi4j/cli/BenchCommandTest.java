package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adi bench} at tiny sizes: one table on stdout and the same markdown in --out; bad options are named. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    private static String[] captured(String... args) {
        Captured r = GoldenCommandTest.run(args);
        return new String[]{Integer.toString(r.code()), r.out(), r.err()};
    }

    @Test
    void tinyBlockRunPrintsAndWritesTheTable() throws Exception {
        Path file = tmp.resolve("sub/blocks.md");
        String[] r = captured("bench", "--workload", "R1,A1", "--size", "4", "--tokens", "8", "--warmup", "0",
                "--runs", "1", "--out", file.toString());
        assertEquals("0", r[0], r[2]);
        for (String row : new String[]{"| R1 forward |", "| R1 forward+backward |", "| A1 forward |", "| A1 forward+backward |"}) {
            assertTrue(r[1].contains(row), row + " missing in\n" + r[1]);
        }
        assertTrue(!r[1].contains("| T1 "), r[1]);
        assertTrue(r[1].contains("Reduced sizes: R1 4x4, A1/T1 8 tokens"), r[1]);
        assertEquals(r[1], Files.readString(file));
    }

    @Test
    void unknownWorkloadAndTorchAtReducedSizeAreRejected() {
        String[] bad = captured("bench", "--workload", "R1,Q7");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("Q7"), bad[2]);
        String[] reduced = captured("bench", "--torch", "--tokens", "8");
        assertEquals("2", reduced[0]);
        assertTrue(reduced[2].contains("--torch"), reduced[2]);
    }
}

package dev.adi4j.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/adi starts the CLI from the built jars, with and without the jemalloc preload. */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "bin", "adi").toAbsolutePath().normalize();

    private static String run(boolean jemalloc) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(LAUNCHER), "launcher missing or not executable: " + LAUNCHER);
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--help").redirectErrorStream(true);
        if (!jemalloc) pb.environment().put("ADI4J_NO_JEMALLOC", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void startsTheCli() throws Exception {
        String out = run(true);
        assertTrue(out.contains("Usage: adi") && out.contains("generate") && out.contains("golden"), out);
    }

    @Test
    void startsTheCliWithoutJemalloc() throws Exception {
        assertTrue(run(false).contains("Usage: adi"));
    }
}

package dev.adi4j.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.cli.Main;
import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mini world from the command line on the embedded, trained model: {@code adi generate} without {@code --model},
 * {@code adi demo} and the reduced ActionBench-mini (CI's end-to-end run of the bench: every method, few steps).
 */
class MiniWorldCliTest {
    @TempDir
    static Path cache;

    @BeforeAll
    static void privateCache() {
        System.setProperty("adi4j.cache", cache.toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("adi4j.cache");
    }

    static Captured adi(String... args) {
        return Captured.run(() -> Main.run(args));
    }

    @Test
    void generateWithoutModelUsesTheEmbeddedMiniWorld(@TempDir Path dir) throws Exception {
        Captured r = adi("generate", "--prompt", "a photo of a red cat saluting on a blue background", "--steps", "3",
                "--guidance", "3", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("embedded mini-world model"), r.err());
        assertEquals(32, ImageIO.read(dir.resolve("image-0.png").toFile()).getWidth());
        Captured unknown = adi("generate", "--prompt", "a photo of a panda", "--out", dir.resolve("x").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown word 'panda'"), unknown.err());
    }

    @Test
    void reducedActionBenchMiniRunsEveryMethodEndToEnd(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        Captured r = adi("actionbench", "mini", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| method | action | Action % | Subject % | Total %"), r.out());
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("rows");
        Set<String> methods = new HashSet<>();
        for (JsonNode row : rows) {
            methods.add(row.get("method").asText());
            double total = row.get("total").asDouble();
            assertTrue(total >= 0 && total <= row.get("action").asDouble() && total <= row.get("subject").asDouble(), row.toString());
        }
        assertEquals(Set.of("text-only", "ti", "pplus", "custom-diffusion", "adi", "adi-context-only", "adi-action-only",
                "adi-union"), methods);
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        assertTrue(Files.isRegularFile(out.resolve("results.md")));
    }

    @Test
    void demoLearnsAnActionAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        Captured r = adi("demo", "--steps", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("demo done in"), r.out());
        assertTrue(r.out().contains(out.resolve("report.html").toAbsolutePath().toString()), r.out());
        assertTrue(r.err().contains("step 2/2"), "training progress is shown: " + r.err());
        String html = Files.readString(out.resolve("report.html"));
        for (String s : List.of("Exemplars: handstand", "adi", "grid.png")) assertTrue(html.contains(s), s);
    }
}

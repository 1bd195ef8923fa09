package dev.adi4j.tests;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/adi chooses the ND4J natives (generic, oneDNN AVX2, oneDNN AVX-512) and the oneDNN builds compute the same
 * gradients and decodes as the reference: the golden cases that exercise conv2d_bp, attention and the VAE run
 * under each oneDNN build the CPU supports.
 */
class LauncherNativesTest {
    private static final Path SHARED = Shared.root().toAbsolutePath().normalize();
    private static final Set<String> CASES = Set.of("unet_grad", "vae_decode", "layerwise_unet_grad");

    private static String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = LauncherTest.LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static boolean cpuHas(String... flags) throws IOException {
        String cpu = " " + Files.readString(Path.of("/proc/cpuinfo")).replace('\n', ' ') + " ";
        for (String f : flags) if (!cpu.contains(" " + f + " ")) return false;
        return true;
    }

    @Test
    void genericIsSelectable() throws Exception {
        String out = run(Map.of("ADI4J_NATIVES", "generic"), "info");
        assertTrue(out.contains("ND4J natives: linux-x86_64 (") && out.contains("/linux-x86_64/libnd4jcpu.so"), out);
    }

    @Test
    void autoPicksTheWidestOneDnnBuildTheCpuRuns() throws Exception {
        String expected = cpuHas("avx512f", "avx512bw", "avx512vl", "avx512dq") ? "onednn-avx512"
                : cpuHas("avx2", "fma") ? "onednn-avx2" : null;
        String out = run(Map.of(), "info");
        if (expected == null) {
            assertTrue(out.contains("ND4J natives: linux-x86_64 ("), out);
        } else {
            assertTrue(out.contains("ND4J natives: linux-x86_64-" + expected + " (") && out.contains("/linux-x86_64-" + expected + "/"), out);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onednn-avx2", "onednn-avx512"})
    void oneDnnBuildsPassTheGoldens(String natives, @TempDir Path dir) throws Exception {
        assumeTrue(natives.equals("onednn-avx2") ? cpuHas("avx2", "fma") : cpuHas("avx512f", "avx512bw", "avx512vl", "avx512dq"),
                "this CPU cannot run the " + natives + " natives");
        Path index = subsetIndex(dir);
        String out = run(Map.of("ADI4J_NATIVES", natives), "golden", index.toString());
        assertTrue(out.contains(" 0 failed") && !out.contains("FAIL"), out);
        assertTrue(out.lines().filter(l -> l.endsWith("PASS")).count() >= 10, out);
        assertTrue(run(Map.of("ADI4J_NATIVES", natives), "info").contains("-" + natives + " ("));
    }

    /** The shared index cut down to {@link #CASES}, with paths made absolute so it can live elsewhere. */
    private static Path subsetIndex(Path dir) throws IOException {
        Path fixtures = SHARED.resolve("fixtures");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(fixtures.resolve("cases.json").toFile());
        ArrayNode kept = json.createArrayNode();
        for (JsonNode c : root.get("cases")) {
            if (!CASES.contains(c.get("name").asText())) continue;
            ObjectNode copy = c.deepCopy();
            for (String key : new String[]{"file", "model"}) {
                if (copy.hasNonNull(key)) copy.put(key, fixtures.resolve(copy.get(key).asText()).toString());
            }
            kept.add(copy);
        }
        assertEquals(CASES.size(), kept.size(), "cases missing from the shared index");
        root.set("cases", kept);
        Path index = dir.resolve("cases.json");
        json.writeValue(index.toFile(), root);
        return index;
    }
}

package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code adi bench-net} at tiny sizes: one markdown table with or without PyTorch's side. The runs that start
 * PyTorch are skipped (with the reason) where /usr/bin/python3 cannot import torch, as in CI; the timings of
 * these runs mean nothing (warm-up 0, one run), only the table's shape is checked.
 */
class BenchNetCommandTest {
    /** The Python with torch ({@code -Dadi4j.test.python} to try another, e.g. one without torch). */
    private static final String PYTHON = System.getProperty("adi4j.test.python", "/usr/bin/python3");

    @TempDir
    Path tmp;

    private static Captured run(String... args) {
        List<String> all = new ArrayList<>(List.of("bench-net", "--shared", Shared.root().toString()));
        all.addAll(Arrays.asList(args));
        return GoldenCommandTest.run(all.toArray(String[]::new));
    }

    /** This checkout's bench/torch (Surefire runs in the module folder adi/). */
    static Path scripts() {
        Path up = Path.of("").toAbsolutePath().getParent().resolve("bench/torch");
        return Files.isDirectory(up) ? up : Path.of("bench/torch").toAbsolutePath();
    }

    static void assumeTorch() throws IOException, InterruptedException {
        boolean ok;
        try {
            ok = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            ok = false;
        }
        assumeTrue(ok, "PyTorch is not importable by " + PYTHON + ": skipped (" + TorchRunner.TORCH_INSTALL + ")");
    }

    static void assumeDiffusers() throws IOException, InterruptedException {
        assumeTorch();
        String torchref = Shared.root().resolve("bench/torchref").toString();
        int rc = new ProcessBuilder(PYTHON, "-c", "import sys; sys.path.insert(0, '" + torchref + "'); import common, diffusers")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        assumeTrue(rc == 0, "diffusers does not import through " + torchref + " (its README's set-up): skipped");
    }

    private static List<String> tableRows(String out) {
        return out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| workload") && !l.startsWith("| ---")).toList();
    }

    @Test
    void textRowsWithoutTorchHaveDashesAndGoToOut() throws Exception {
        Path file = tmp.resolve("sub/net.md");
        Captured r = run("--net", "text", "--mode", "fwd,grad", "--warmup", "0", "--runs", "1", "--out", file.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("| workload | adi4j median | PyTorch median | ratio | adi4j peak RSS | PyTorch peak RSS "
                + "| memory ratio |\n"), r.out());
        List<String> rows = tableRows(r.out());
        assertEquals(2, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("| tiny-sd text T77 x16 forward | "), rows.get(0));
        assertTrue(rows.get(1).startsWith("| tiny-sd text T77 x16 fwd+bwd (embeds) | "), rows.get(1));
        for (String row : rows) assertTrue(row.matches(".* \\| - \\| - \\| [^|]+ \\| - \\| - \\|$"), row);
        assertTrue(r.out().contains("warm-up 0 + 1 runs per row"), r.out());
        assertFalse(r.out().contains("PyTorch 1"), "no PyTorch footer without --torch: " + r.out());
        assertEquals(r.out(), Files.readString(file));
    }

    @Test
    void missingTorchIsOneLineWithTheAptCommandAndAdi4jRowsStay() {
        Captured r = run("--net", "text", "--mode", "fwd", "--warmup", "0", "--runs", "1", "--torch",
                "--python", tmp.resolve("no-python").toString(), "--torch-scripts", scripts().toString());
        assertEquals(0, r.code(), r.all());
        String message = "PyTorch is not installed for " + tmp.resolve("no-python") + " (no comparison); install it with: "
                + TorchRunner.TORCH_INSTALL;
        assertEquals(1, r.err().lines().filter(l -> l.equals(message)).count(), r.err());
        assertTrue(r.out().contains("- " + message + "\n"), r.out());
        List<String> rows = tableRows(r.out());
        assertEquals(1, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("| tiny-sd text T77 x16 forward | "), rows.get(0));
    }

    @Test
    void autoWarmupIsTheDefaultAndReported() {
        // the samplers' step on a 2x2 latent: cheap enough for the auto warm-up's 1000 runs
        Captured r = run("--mode", "sampler", "--latent", "2", "--runs", "1");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("warm-up auto (2 to 1000 runs, more while under 10 s)"), r.out());
        assertTrue(r.out().matches("(?s).*\n- Warm-up runs made: [a-z_0-9]+ step, latent 2x2 ([2-9]|[1-9][0-9]{1,2}|1000), .*"), r.out());
    }

    @Test
    void textRowsBesideTorch() throws Exception {
        assumeTorch();
        Captured r = run("--net", "text", "--mode", "fwd,grad", "--warmup", "1", "--runs", "1", "--torch",
                "--python", PYTHON, "--torch-scripts", scripts().toString());
        assertEquals(0, r.code(), r.all());
        List<String> rows = tableRows(r.out());
        assertEquals(2, rows.size(), r.out());
        for (String row : rows) {
            assertTrue(row.matches("\\| tiny-sd text T77 x16 [^|]+ \\| [0-9.]+ m?s \\| [0-9.]+ m?s \\| [0-9.]+x \\| [0-9.]+ [MG]iB "
                    + "\\| [0-9.]+ [MG]iB \\| [0-9.]+x \\|"), row);
        }
        assertTrue(r.out().contains("- PyTorch 1."), r.out());
        assertTrue(r.out().contains("bench/torch/clip_text.py"), r.out());
    }

    @Test
    void unetAndGenerateRowsBesideTorch() throws Exception {
        assumeDiffusers();
        Captured r = run("--net", "unet", "--config", "tiny", "--latent", "16", "--mode", "fwd,generate", "--size", "32x32",
                "--steps", "2", "--warmup", "0", "--runs", "1", "--torch", "--python", PYTHON,
                "--torch-scripts", scripts().toString());
        assertEquals(0, r.code(), r.all());
        List<String> rows = tableRows(r.out());
        assertEquals(2, rows.size(), "only the requested fwd row, though unet_bench.py also times grad: " + r.out());
        assertTrue(rows.get(0).matches("\\| tiny U16 forward \\| [0-9.]+ m?s \\| [0-9.]+ m?s \\| [0-9.]+x \\| .*"), rows.get(0));
        assertTrue(rows.get(1).matches("\\| tiny-sd generate 32x32 2 steps cfg 7.5 \\| [0-9.]+ m?s \\([0-9.]+ img/s\\) "
                + "\\| [0-9.]+ m?s \\([0-9.]+ img/s\\) \\| [0-9.]+x \\| .*"), rows.get(1));
        assertTrue(r.out().contains("DdimSampler"), r.out());
    }

    /** The pure-torch CLIP text encoder of bench/torch equals transformers' on the fixture (forward and layer-wise gradient). */
    @Test
    void torchTextEncoderMatchesTheTransformersGoldens() throws Exception {
        assumeTorch();
        Path te = Shared.tinySd().resolve("text_encoder");
        for (String golden : new String[]{"text_forward", "text_grad_embedding"}) {
            Process p = new ProcessBuilder(PYTHON, scripts().resolve("text_bench.py").toString(),
                    "--config", te.resolve("config.json").toString(), "--weights", te.resolve("model.safetensors").toString(),
                    "--torchref", Shared.root().resolve("bench/torchref").toString(),
                    "--check-golden", Shared.golden(golden + ".safetensors").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("golden check PASS"), out);
        }
    }
}

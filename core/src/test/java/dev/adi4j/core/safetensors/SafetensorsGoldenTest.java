package dev.adi4j.core.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the real fixture files (written by an independent Python writer), checking facts from fixtures/README.md. */
class SafetensorsGoldenTest {
    private static final Path FIXTURES = RawSafetensors.shared().resolve("fixtures");

    @TempDir
    Path dir;

    private static List<Path> goldenFiles() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES.resolve("golden"))) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    @Test
    void everyGoldenFileOpensAndLoads() throws IOException {
        List<Path> files = goldenFiles();
        assertTrue(files.size() >= 18, "golden files found: " + files);
        for (Path f : files) {
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                assertFalse(r.names().isEmpty(), f.toString());
                assertEquals("pt", r.metadata().get("format"), f + " metadata");
                for (String name : r.names()) {
                    TensorInfo t = r.info(name);
                    assertEquals(DType.F32, t.dtype(), f + " " + name + ": goldens are all F32");
                    INDArray a = r.loadFloat(name, t.shape().length == 0 ? new long[]{1} : t.shape());
                    assertEquals(t.numel(), a.length());
                }
            }
        }
    }

    @Test
    void unetForwardB2() {
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("golden/unet_forward_b2.safetensors"))) {
            assertArrayEquals(new float[]{999, 17}, r.loadFloat("timestep", 2).toFloatVector());
            assertArrayEquals(new long[]{999, 17}, r.loadLongs("timestep"));
            assertArrayEquals(new long[]{2, 4, 16, 16}, r.info("sample").shape());
            assertArrayEquals(new long[]{2, 77, 32}, r.info("encoder_hidden_states").shape());
            assertArrayEquals(new long[]{2, 32}, r.info("act.time_proj").shape());
            assertEquals("0.27.2", r.metadata().get("diffusers"));
            assertEquals("tensor torch.int64", r.metadata().get("timestep_passed_as"));
            // README: act.conv_out equals output
            assertEquals(r.loadFloat("output"), r.loadFloat("act.conv_out"));
            // README: output_f64 differs from output by float32 noise only (~1e-6)
            INDArray diff = r.loadFloat("output").sub(r.loadFloat("output_f64"));
            double maxAbs = r.loadFloat("output").amaxNumber().doubleValue();
            assertTrue(diff.amaxNumber().doubleValue() <= 1e-4 * maxAbs, "output vs output_f64");
        }
    }

    @Test
    void schedulerAndVaeFacts() {
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("golden/sched_ddpm_train.safetensors"))) {
            assertArrayEquals(new int[]{0, 1, 17, 500, 999}, r.loadInts("timesteps"));
            float[] ac = r.loadFloat("alphas_cumprod", 1000).toFloatVector();
            for (int i = 1; i < ac.length; i++) assertTrue(ac[i] < ac[i - 1], "alphas_cumprod decreasing");
            float[] betas = r.loadFloat("betas", 1000).toFloatVector();
            assertEquals(0.00085f, betas[0], 1e-9f);
            assertEquals(0.012f, betas[999], 1e-8f);
        }
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("golden/vae_encode.safetensors"))) {
            INDArray scaled = r.loadFloat("latent_scaled", 1, 4, 8, 8);
            INDArray expected = r.loadFloat("latent_sample").mul(0.18215f);
            assertTrue(scaled.sub(expected).amaxNumber().doubleValue() < 1e-6);
        }
    }

    @Test
    void textForwardIdsAreIntegralFloats() {
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("golden/text_forward.safetensors"))) {
            int[] ids = r.loadInts("input_ids");
            assertEquals(2 * 77, ids.length);
            assertEquals(49406, ids[0], "bos");
            assertEquals(49406, ids[77], "bos of the second prompt");
            assertTrue(Arrays.stream(ids, 0, 77).anyMatch(i -> i == 49407), "eos in the first prompt");
        }
    }

    @Test
    void tinySdWeights() {
        Map<String, Long> expectedParams = Map.of("unet/diffusion_pytorch_model.safetensors", 3_222_692L,
                "vae/diffusion_pytorch_model.safetensors", 1_399_879L);
        expectedParams.forEach((file, params) -> {
            try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("tiny-sd").resolve(file))) {
                long total = r.infos().values().stream().mapToLong(TensorInfo::numel).sum();
                assertEquals(params, total, file);
            }
        });
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("tiny-sd/unet/diffusion_pytorch_model.safetensors"))) {
            assertArrayEquals(new long[]{32, 4, 3, 3}, r.info("conv_in.weight").shape());
        }
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURES.resolve("tiny-sd/text_encoder/model.safetensors"))) {
            TensorInfo pos = r.info("text_model.embeddings.position_ids");
            assertEquals(DType.I64, pos.dtype());
            assertArrayEquals(new long[]{1, 77}, pos.shape());
            long[] ids = r.loadLongs(pos.name());
            for (int i = 0; i < 77; i++) assertEquals(i, ids[i]);
            assertEquals(76f, r.loadFloat(pos.name(), 1, 77).getFloat(0, 76));
            assertArrayEquals(new long[]{49408, 32}, r.info("text_model.embeddings.token_embedding.weight").shape());
            // README: every parameter was perturbed, so no value is exactly 0 or 1
            INDArray ln = r.loadFloat("text_model.final_layer_norm.weight", 32);
            for (float v : ln.toFloatVector()) assertTrue(v != 0f && v != 1f);
        }
    }

    @Test
    void rewritingAGoldenFileReproducesItsDataSectionByteForByte() throws IOException {
        Path src = FIXTURES.resolve("golden/vae_encode.safetensors");
        Path out = dir.resolve("copy.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(src)) {
            SafetensorsWriter w = new SafetensorsWriter().metadata(r.metadata());
            for (String name : r.names()) w.addLazy(name, r.info(name).shape(), DType.F32, () -> r.loadFloat(name));
            w.write(out);
            try (SafetensorsReader c = SafetensorsReader.open(out)) {
                assertEquals(r.infos(), c.infos());
                assertEquals(r.metadata(), c.metadata());
                byte[] a = Files.readAllBytes(src);
                byte[] b = Files.readAllBytes(out);
                long dataA = a.length - r.info(lastByOffset(r)).end();
                long dataB = b.length - c.info(lastByOffset(c)).end();
                assertArrayEquals(Arrays.copyOfRange(a, (int) dataA, a.length),
                        Arrays.copyOfRange(b, (int) dataB, b.length));
            }
        }
    }

    private static String lastByOffset(SafetensorsReader r) {
        return r.infos().values().stream().max((x, y) -> Long.compare(x.end(), y.end())).orElseThrow().name();
    }
}

package dev.adi4j.convert;

import dev.adi4j.core.model.Component;
import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiny model round trip: single-file checkpoint (built from tiny-sd in the original layout) -> converter ->
 * model folder, whose networks reproduce the goldens and whose text encoder equals tiny-sd's exactly.
 */
class RoundTripTest {
    @TempDir
    static Path dir;
    static Path converted;
    static Converter.Summary summary;

    @BeforeAll
    static void convert() {
        Path ckpt = TinyCheckpoint.write(dir.resolve("tiny-v2.safetensors"));
        converted = dir.resolve("model");
        summary = new Converter().convert(new Converter.Options(ckpt, converted, null,
                Fixtures.tinySd().toString(), null, false), Converter.Progress.NONE);
    }

    /**
     * The converted UNet and VAE hold exactly tiny-sd's tensors (same names, shapes, values), so they reproduce
     * every golden tiny-sd reproduces; the networks themselves are checked against the goldens elsewhere.
     */
    @Test
    void unetAndVaeEqualTheDiffusersFilesExactly() {
        for (String file : List.of("unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors")) {
            try (SafetensorsReader expected = SafetensorsReader.open(Fixtures.tinySd().resolve(file));
                 SafetensorsReader actual = SafetensorsReader.open(converted.resolve(file))) {
                assertEquals(new java.util.TreeSet<>(expected.names()), new java.util.TreeSet<>(actual.names()), file);
                for (String k : expected.names()) {
                    assertArrayEquals(expected.info(k).shape(), actual.info(k).shape(), file + ": " + k);
                    assertArrayEquals(expected.loadFloat(k).data().asFloat(), actual.loadFloat(k).data().asFloat(), 0f,
                            file + ": " + k);
                }
            }
        }
    }

    @Test
    void textEncoderEqualsTheDiffusersFileExactly() {
        try (SafetensorsReader expected = SafetensorsReader.open(Fixtures.tinySd().resolve("text_encoder/model.safetensors"));
             SafetensorsReader actual = SafetensorsReader.open(converted.resolve("text_encoder/model.safetensors"))) {
            java.util.Set<String> names = new java.util.TreeSet<>(expected.names());
            names.remove(TextKeys.POSITION_IDS); // optional int64 buffer, not written (float-only output)
            assertEquals(names, new java.util.TreeSet<>(actual.names()));
            for (String k : names) {
                assertEquals(expected.info(k).dtype(), actual.info(k).dtype(), k);
                assertArrayEquals(expected.info(k).shape(), actual.info(k).shape(), k);
                INDArray e = expected.loadFloat(k);
                INDArray a = actual.loadFloat(k);
                assertArrayEquals(e.data().asFloat(), a.data().asFloat(), 0f, k);
            }
        }
    }

    @Test
    void droppedKeysAreReportedAndTheFolderIsComplete() throws Exception {
        assertTrue(summary.dropped().containsKey("cond_stage_model.model.transformer.resblocks.3.ln_1.weight"));
        assertTrue(summary.dropped().containsKey("cond_stage_model.model.text_projection"));
        assertTrue(summary.dropped().containsKey("betas"));
        assertTrue(summary.dropped().containsKey("model_ema.num_updates"));
        for (String f : List.of("model_index.json", "scheduler/scheduler_config.json", "unet/config.json",
                "vae/config.json", "text_encoder/config.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json")) {
            assertTrue(Files.isRegularFile(converted.resolve(f)), f);
        }
        assertEquals(-1, Files.mismatch(Fixtures.tinySd().resolve("tokenizer/vocab.json"), converted.resolve("tokenizer/vocab.json")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".converting-")).toList(),
                    "no temporary folder left behind");
        }
        Verifier.Report report = Verifier.verify(converted);
        assertTrue(report.ok(), report.problems().toString());
    }

    @Test
    void aDiffusersFolderConvertsUnchangedAndToFp16() throws Exception {
        Path out = dir.resolve("fp16");
        new Converter().convert(new Converter.Options(Fixtures.tinySd(), out, TargetDType.FP16, null, null, false),
                Converter.Progress.NONE);
        try (SafetensorsReader src = SafetensorsReader.open(Fixtures.tinySd().resolve("unet/diffusion_pytorch_model.safetensors"));
             SafetensorsReader half = SafetensorsReader.open(out.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            assertEquals(src.names().size(), half.names().size());
            for (String k : src.names()) {
                assertEquals(DType.F16, half.info(k).dtype(), k);
                float[] x = src.loadFloat(k).data().asFloat();
                float[] h = half.loadFloat(k).data().asFloat();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Fp16Reference.round(x[i]), h[i], 0f, k + "[" + i + "] = " + x[i]);
                }
            }
        }
        try (SafetensorsReader t = SafetensorsReader.open(out.resolve("text_encoder/model.safetensors"))) {
            assertFalse(t.contains(TextKeys.POSITION_IDS));
            assertEquals(DType.F16, t.info("text_model.final_layer_norm.weight").dtype());
        }

        // a diffusers folder holding only the fp16 variants converts too, keeping F16 without --dtype
        for (Component c : Component.values()) {
            Path w = out.resolve(c.folder()).resolve(c.weightsFile());
            Files.move(w, w.resolveSibling(c.weightsFile().replace(".safetensors", ".fp16.safetensors")));
        }
        Path again = dir.resolve("from-fp16-variant");
        new Converter().convert(new Converter.Options(out, again, null, null, null, false), Converter.Progress.NONE);
        try (SafetensorsReader u = SafetensorsReader.open(again.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            assertEquals(DType.F16, u.info("conv_in.weight").dtype());
        }
        assertTrue(Verifier.verify(again).ok());

        // pickle-only component: refused with the hint
        Files.delete(again.resolve("vae/diffusion_pytorch_model.safetensors"));
        Files.write(again.resolve("vae/diffusion_pytorch_model.bin"), new byte[]{1});
        ConversionException e = org.junit.jupiter.api.Assertions.assertThrows(ConversionException.class, () -> new Converter()
                .convert(new Converter.Options(again, dir.resolve("never"), null, null, null, false), Converter.Progress.NONE));
        assertTrue(e.getMessage().contains("pickle") && e.getMessage().contains("vae"), e.getMessage());
    }
}

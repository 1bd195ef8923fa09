package dev.adi4j.adi.baseline;

import dev.adi4j.cli.Main;
import dev.adi4j.core.image.PngText;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.unet.UNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Custom Diffusion file: round trip, clear errors, applying and restoring, and {@code adi generate --custom-diffusion}. */
class CustomDiffusionDeltasTest {
    static final String K0 = "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight";
    static final String V5 = "up_blocks.2.attentions.1.transformer_blocks.0.attn2.to_v.weight";

    static UNet unet;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        unet = UNet.load(TinySd.ROOT.resolve("unet"));
    }

    @AfterAll
    static void close() throws Exception {
        unet.close();
    }

    /** Base weights of two layers, perturbed, and a random token vector. */
    static CustomDiffusionDeltas deltas() {
        Map<String, INDArray> w = new LinkedHashMap<>();
        NoiseSource rng = NoiseSource.gaussian(4);
        try (SafetensorsReader file = SafetensorsReader.open(TinySd.ROOT.resolve("unet/" + UNet.WEIGHTS_FILE))) {
            for (String n : List.of(K0, V5)) {
                INDArray base = file.loadFloat(n);
                w.put(n, base.addi(rng.next(base.shape()).muli(0.3)));
            }
        }
        return new CustomDiffusionDeltas("<S>", rng.next(new long[]{1, 32}), w, "tiny-sd");
    }

    private static boolean same(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.data().asFloat(), b.data().asFloat());
    }

    @Test
    void roundTripIsBitExact() throws Exception {
        CustomDiffusionDeltas d = deltas();
        Path f = dir.resolve("sub/subject.safetensors");
        d.save(f);
        CustomDiffusionDeltas back = CustomDiffusionDeltas.load(f, unet.config());
        assertEquals("<S>", back.token());
        assertEquals("tiny-sd", back.baseModel());
        assertTrue(same(d.tokenVector(), back.tokenVector()));
        assertEquals(d.weights().keySet(), back.weights().keySet());
        for (String n : d.weights().keySet()) assertTrue(same(d.weights().get(n), back.weights().get(n)), n);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals("1", r.metadata().get("adi4j.custom_diffusion"));
            assertEquals("<S>", r.metadata().get("adi4j.token"));
            assertEquals(Set.of(K0, V5, "<S>"), r.names());
        }
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badFilesGiveErrorsNamingFileAndKey() throws Exception {
        Path noMeta = dir.resolve("nometa.safetensors");
        new SafetensorsWriter().add("<S>", Nd4j.zeros(1, 32)).write(noMeta);
        String m = assertThrows(IllegalArgumentException.class, () -> CustomDiffusionDeltas.load(noMeta)).getMessage();
        assertTrue(m.contains(noMeta.toString()) && m.contains("adi4j.custom_diffusion"), m);

        Path unknown = dir.resolve("unknown.safetensors");
        new SafetensorsWriter().metadata("adi4j.custom_diffusion", "1").metadata("adi4j.token", "<S>")
                .add("<S>", Nd4j.zeros(1, 32)).add("conv_in.weight", Nd4j.zeros(32, 4, 3, 3)).write(unknown);
        m = assertThrows(IllegalArgumentException.class, () -> CustomDiffusionDeltas.load(unknown)).getMessage();
        assertTrue(m.contains(unknown.toString()) && m.contains("unknown key 'conv_in.weight'"), m);

        Path noToken = dir.resolve("notoken.safetensors");
        new SafetensorsWriter().metadata("adi4j.custom_diffusion", "1").metadata("adi4j.token", "<S>")
                .add(K0, Nd4j.zeros(64, 32)).write(noToken);
        m = assertThrows(IllegalArgumentException.class, () -> CustomDiffusionDeltas.load(noToken)).getMessage();
        assertTrue(m.contains(noToken.toString()) && m.contains("'<S>'"), m);

        Path wrongShape = dir.resolve("shape.safetensors");
        new SafetensorsWriter().metadata("adi4j.custom_diffusion", "1").metadata("adi4j.token", "<S>")
                .add("<S>", Nd4j.zeros(1, 32)).add(K0, Nd4j.zeros(64, 33)).write(wrongShape);
        m = assertThrows(IllegalArgumentException.class, () -> CustomDiffusionDeltas.load(wrongShape, unet.config())).getMessage();
        assertTrue(m.contains(wrongShape.toString()) && m.contains(K0) && m.contains("[64, 33]"), m);

        Path notInUNet = dir.resolve("layer.safetensors");
        String ghost = "down_blocks.9.attentions.0.transformer_blocks.0.attn2.to_v.weight";
        new SafetensorsWriter().metadata("adi4j.custom_diffusion", "1").metadata("adi4j.token", "<S>")
                .add("<S>", Nd4j.zeros(1, 32)).add(ghost, Nd4j.zeros(32, 32)).write(notInUNet);
        m = assertThrows(IllegalArgumentException.class, () -> CustomDiffusionDeltas.load(notInUNet, unet.config())).getMessage();
        assertTrue(m.contains(notInUNet.toString()) && m.contains(ghost), m);
    }

    @Test
    void applyingChangesTheOutputAndRestoringGivesItBackExactly() {
        INDArray x = NoiseSource.gaussian(1).next(new long[]{1, 4, 16, 16});
        INDArray ctx = NoiseSource.gaussian(2).next(new long[]{1, 77, 32});
        INDArray t = Nd4j.createFromArray(321f);
        INDArray before = unet.forward(x, t, ctx);
        CustomDiffusionDeltas d = deltas();
        try (CustomDiffusionDeltas.Applied a = d.applyTo(unet)) {
            assertEquals(List.of(K0, V5), a.names());
            INDArray applied = unet.forward(x, t, ctx);
            assertTrue(applied.sub(before).amaxNumber().doubleValue() > 1e-3, "the weights must change the output");
            assertTrue(same(d.weights().get(K0), unet.parameterSpec(K0).layout().toReference(unet.parameter(K0))));
        }
        assertTrue(same(before, unet.forward(x, t, ctx)), "restored exactly");
    }

    @Test
    void generateCommandLoadsTheFile() throws Exception {
        Path f = dir.resolve("subject.safetensors");
        deltas().save(f);
        Path out = dir.resolve("out");
        int code = Main.run(new String[]{"generate", "--model", TinySd.ROOT.toString(), "--prompt", "a photo of <S> person",
                "--steps", "2", "--size", "64x64", "--seed", "3", "--custom-diffusion", f.toString(), "--out", out.toString()});
        assertEquals(0, code);
        Path png = out.resolve("image-3.png");
        assertTrue(Files.isRegularFile(png));
        assertEquals(f.toAbsolutePath().toString(), PngText.read(png).get("adi4j.custom_diffusion"));

        Path bad = dir.resolve("bad.safetensors");
        new SafetensorsWriter().add("x", Nd4j.zeros(1)).write(bad);
        assertTrue(Main.run(new String[]{"generate", "--model", TinySd.ROOT.toString(), "--prompt", "p", "--steps", "1",
                "--size", "64x64", "--custom-diffusion", bad.toString(), "--out", dir.resolve("o2").toString()}) != 0);
    }
}

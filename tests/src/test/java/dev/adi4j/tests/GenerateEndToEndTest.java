package dev.adi4j.tests;

import dev.adi4j.testsupport.Captured;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.cli.Main;
import dev.adi4j.core.image.PngText;
import dev.adi4j.diffusion.identifier.Identifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adi generate} end to end on the tiny SD 2.1 fixture model: PNG files, their metadata, overwrite rules. */
class GenerateEndToEndTest {
    static final Path TINY = Shared.root().resolve("fixtures/tiny-sd");

    @TempDir
    Path dir;


    static Captured adi(String... args) {
        return Captured.run(() -> Main.run(args));
    }

    private Captured generate(Path out, String... extra) {
        String[] base = {"generate", "--model", TINY.toString(), "--prompt", "a photo of a panda doing a handstand",
                "--negative-prompt", "blurry", "--steps", "2", "--size", "64x48", "--seed", "7", "--num-images", "2",
                "--sampler", "dpmpp2m", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return adi(all);
    }

    @Test
    void writesSeededPngsWithParametersAndAGrid() throws Exception {
        Path out = dir.resolve("out");
        Captured r = generate(out);
        assertEquals(0, r.code(), r.err());
        Path first = out.resolve("image-7.png");
        Path second = out.resolve("image-8.png");
        for (Path p : new Path[]{first, second, out.resolve("grid-7.png")}) assertTrue(Files.isRegularFile(p), p.toString());
        BufferedImage img = ImageIO.read(first.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());

        Map<String, String> text = PngText.read(first);
        String params = text.get("parameters");
        assertTrue(params.startsWith("a photo of a panda doing a handstand\nNegative prompt: blurry\n"), params);
        assertTrue(params.contains("Steps: 2") && params.contains("Seed: 7") && params.contains("Sampler: dpmpp2m")
                && params.contains("Size: 64x48"), params);
        assertEquals("8", PngText.read(second).get("adi4j.seed"));
        assertTrue(r.err().contains("step 2/2") && r.err().contains("steps/s"), r.err());

        // refuses to overwrite, then --force reproduces the same pixels from the same seeds
        Captured again = generate(out);
        assertEquals(1, again.code());
        assertTrue(again.err().contains("refusing to overwrite") && again.err().contains("--force"), again.err());
        int[] before = pixels(first);
        assertEquals(0, generate(out, "--force").code());
        assertArrayEquals(before, pixels(first));
        assertFalse(java.util.Arrays.equals(before, pixels(second)), "images of different seeds must differ");
    }

    @Test
    void identifiersInThePromptUseLayerWiseConditioning() throws Exception {
        Path idFile = dir.resolve("handstand.safetensors");
        Nd4j.getRandom().setSeed(3);
        new Identifiers(Map.of("<handstand>", Nd4j.randn(DataType.FLOAT, 16, 32))).save(idFile, Map.of());
        Path withId = dir.resolve("with");
        Path without = dir.resolve("without");
        assertEquals(0, adi("generate", "--model", TINY.toString(), "--prompt", "a photo of a panda <handstand>",
                "--steps", "2", "--size", "32x32", "--identifiers", idFile.toString(), "--out", withId.toString()).code());
        assertEquals(0, adi("generate", "--model", TINY.toString(), "--prompt", "a photo of a panda <handstand>",
                "--steps", "2", "--size", "32x32", "--out", without.toString()).code());
        assertFalse(java.util.Arrays.equals(pixels(withId.resolve("image-0.png")), pixels(without.resolve("image-0.png"))),
                "the identifiers must change the image");
        assertTrue(PngText.read(withId.resolve("image-0.png")).get("adi4j.identifiers").endsWith("handstand.safetensors"));
    }

    @Test
    void missingOrPartialModelFolderIsOneClearError() throws Exception {
        Captured r = adi("generate", "--model", dir.resolve("nothing").toString(), "--prompt", "x", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nothing") && r.err().lines().count() == 1, r.err());

        Path partial = dir.resolve("partial");
        Files.createDirectories(partial);
        Files.copy(TINY.resolve("model_index.json"), partial.resolve("model_index.json"));
        Captured p = adi("generate", "--model", partial.toString(), "--prompt", "x", "--out", dir.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().contains("partial") && p.err().lines().count() == 1, p.err());
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}

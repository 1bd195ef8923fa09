package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

class PngTextTest {
    @TempDir
    Path dir;

    record Chunk(String type, byte[] data) {
    }

    /** An independent PNG chunk walker (not the production reader), checking every CRC. */
    static List<Chunk> chunks(Path png) throws IOException {
        List<Chunk> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(png))) {
            byte[] sig = in.readNBytes(8);
            assertArrayEquals(new byte[]{(byte) 137, 80, 78, 71, 13, 10, 26, 10}, sig);
            while (true) {
                int len = in.readInt();
                byte[] type = in.readNBytes(4);
                byte[] data = in.readNBytes(len);
                int crc = in.readInt();
                CRC32 c = new CRC32();
                c.update(type);
                c.update(data);
                String t = new String(type, StandardCharsets.US_ASCII);
                assertEquals((int) c.getValue(), crc, "CRC of " + t);
                out.add(new Chunk(t, data));
                if (t.equals("IEND")) return out;
            }
        }
    }

    private static BufferedImage sample() {
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 2, 0x123456);
        return img;
    }

    @Test
    void textChunksAreRealTextChunksAndReadBack() throws IOException {
        String params = GenerationParameters.format("a photo of a <handstand> man", "blurry, lowres",
                linked("Steps", "25", "Sampler", "DDIM", "CFG scale", "7.5", "Seed", "1234", "Size", "6x4"));
        Map<String, String> text = linked("parameters", params, "adi4j:identifier", "<handstand>", "Software", "adi4j");
        Path f = dir.resolve("out.png");
        PngWriter.write(sample(), f, text, false);

        List<Chunk> chunks = chunks(f);
        assertEquals("IHDR", chunks.get(0).type());
        List<Chunk> texts = chunks.stream().filter(c -> c.type().equals("tEXt")).toList();
        assertEquals(3, texts.size());
        int firstIdat = chunks.indexOf(chunks.stream().filter(c -> c.type().equals("IDAT")).findFirst().orElseThrow());
        assertTrue(chunks.indexOf(texts.get(2)) < firstIdat, "text chunks precede the image data");
        Map<String, String> parsed = new LinkedHashMap<>();
        for (Chunk c : texts) {
            byte[] d = c.data();
            int nul = indexOfNul(d);
            parsed.put(new String(d, 0, nul, StandardCharsets.ISO_8859_1),
                    new String(d, nul + 1, d.length - nul - 1, StandardCharsets.ISO_8859_1));
        }
        assertEquals(text, parsed);
        assertEquals("a photo of a <handstand> man\nNegative prompt: blurry, lowres\n"
                + "Steps: 25, Sampler: DDIM, CFG scale: 7.5, Seed: 1234, Size: 6x4", parsed.get("parameters"));

        assertEquals(text, PngText.read(f));
        assertEquals(List.copyOf(text.keySet()), List.copyOf(PngText.read(f).keySet()), "file order kept");
        assertEquals(0x123456, Images.readRgb(f).getRGB(1, 2) & 0xffffff, "image still decodes");
    }

    @Test
    void nonLatin1ValuesGoToUtf8ITxt() throws IOException {
        Path f = dir.resolve("u.png");
        Map<String, String> text = linked("parameters", "猫 in a hat 🎩", "plain", "café");
        PngWriter.write(sample(), f, text, false);
        List<String> types = chunks(f).stream().map(Chunk::type).toList();
        assertTrue(types.contains("iTXt"));
        assertTrue(types.contains("tEXt"));
        assertEquals(text, PngText.read(f));
    }

    @Test
    void invalidKeysAreRefusedBeforeWriting() {
        Path f = dir.resolve("k.png");
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(sample(), f, Map.of("", "v"), false));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(sample(), f, Map.of("x".repeat(80), "v"), false));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(sample(), f, Map.of(" lead", "v"), false));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(sample(), f, Map.of("ключ", "v"), false));
        assertFalse(Files.exists(f));
    }

    @Test
    void refusesToOverwriteUnlessTold() throws IOException {
        Path f = dir.resolve("o.png");
        PngWriter.write(sample(), f, Map.of("parameters", "first"), false);
        ImageException e = assertThrows(ImageException.class,
                () -> PngWriter.write(sample(), f, Map.of("parameters", "second"), false));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("overwrite"), e.getMessage());
        assertEquals("first", PngText.read(f).get("parameters"));
        PngWriter.write(sample(), f, Map.of("parameters", "second"), true);
        assertEquals("second", PngText.read(f).get("parameters"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temp files left behind");
        }
    }

    @Test
    void batchRefusalWritesNothing() throws IOException {
        INDArray batch = ImagesTest.quantizedBatch(3, 2, 2, PixelRange.ZERO_TO_ONE, 5);
        Path sub = dir.resolve("sub");
        List<Path> files = PngWriter.writeBatch(batch, PixelRange.ZERO_TO_ONE, sub, "img", Map.of(), false);
        assertEquals(List.of(sub.resolve("img-00000.png"), sub.resolve("img-00001.png"), sub.resolve("img-00002.png")), files);
        Files.delete(files.get(0));
        assertThrows(ImageException.class,
                () -> PngWriter.writeBatch(batch, PixelRange.ZERO_TO_ONE, sub, "img", Map.of(), false));
        assertFalse(Files.exists(files.get(0)), "nothing written when one target exists");
    }

    @Test
    void readerRejectsBrokenFiles() throws IOException {
        Path f = dir.resolve("t.png");
        PngWriter.write(sample(), f, Map.of("k", "v"), false);
        byte[] b = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(b, b.length - 20));
        assertTrue(assertThrows(ImageFormatException.class, () -> PngText.read(cut)).getMessage().contains("truncated"));
        byte[] bad = b.clone();
        bad[8 + 8 + 13 + 4 + 8 + 1] ^= 1; // a byte inside the first tEXt chunk's data
        Path crc = Files.write(dir.resolve("crc.png"), bad);
        assertTrue(assertThrows(ImageFormatException.class, () -> PngText.read(crc)).getMessage().contains("CRC"));
        Path notPng = Files.writeString(dir.resolve("n.png"), "hello");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> PngText.read(notPng));
        assertTrue(e.getMessage().contains(notPng.toString()) && e.getMessage().contains("signature"));
    }

    @Test
    void parametersValuesWithSeparatorsAreQuoted() {
        assertEquals("p\nModel: \"a, b\", Steps: 3",
                GenerationParameters.format("p", null, linked("Model", "a, b", "Steps", "3")));
    }

    private static int indexOfNul(byte[] d) {
        for (int i = 0; i < d.length; i++) if (d[i] == 0) return i;
        throw new AssertionError("no NUL separator in tEXt");
    }

    static Map<String, String> linked(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}

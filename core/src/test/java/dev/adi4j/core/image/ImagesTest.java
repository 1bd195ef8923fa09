package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ImagesTest {
    @TempDir
    Path dir;

    /** Random 8-bit levels in the given range, as an [n,3,h,w] tensor. */
    static INDArray quantizedBatch(int n, int h, int w, PixelRange range, long seed) {
        Random r = new Random(seed);
        float[] d = new float[n * 3 * h * w];
        for (int i = 0; i < d.length; i++) d[i] = range.fromByte(r.nextInt(256));
        d[0] = range.fromByte(0);
        d[1] = range.fromByte(255);
        return Nd4j.create(d, new long[]{n, 3, h, w}, DataType.FLOAT);
    }

    @Test
    void tensorToPngToTensorIsExactForQuantizedValues() {
        for (PixelRange range : PixelRange.values()) {
            INDArray batch = quantizedBatch(3, 7, 11, range, 42);
            List<Path> files = PngWriter.writeBatch(batch, range, dir, "rt-" + range, Map.of(), false);
            assertEquals(3, files.size());
            for (int i = 0; i < 3; i++) {
                BufferedImage img = Images.readRgb(files.get(i));
                INDArray back = Images.toTensor(img, range);
                assertArrayEquals(new long[]{1, 3, 7, 11}, back.shape());
                INDArray expected = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1));
                assertArrayEquals(expected.dup().data().asFloat(), back.data().asFloat(), 0f, "image " + i + " " + range);
            }
        }
    }

    @Test
    void outOfRangeValuesAreClampedAndRoundedHalfToEven() {
        // [-1,1]: -3 -> 0, 5 -> 255; [0,1]: 0.5*255 = 127.5 -> 128 (even), 1.5/255 -> 2 (even), 2.5/255 -> 2.
        INDArray t = Nd4j.create(new float[]{-3f, 5f, 0f}, new long[]{1, 3, 1, 1}, DataType.FLOAT);
        int rgb = Images.fromTensor(t, PixelRange.MINUS_ONE_TO_ONE).get(0).getRGB(0, 0);
        assertEquals(0x00ff80, rgb & 0xffffff); // 0 -> 127.5 -> 128
        INDArray u = Nd4j.create(new float[]{0.5f, 1.5f / 255f, 2.5f / 255f}, new long[]{1, 3, 1, 1}, DataType.FLOAT);
        int rgb2 = Images.fromTensor(u, PixelRange.ZERO_TO_ONE).get(0).getRGB(0, 0);
        assertEquals(128, (rgb2 >> 16) & 0xff);
        assertEquals(2, (rgb2 >> 8) & 0xff);
        assertEquals(2, rgb2 & 0xff);
    }

    @Test
    void nanAndWrongShapesAreRefused() {
        INDArray nan = Nd4j.create(new float[]{0f, Float.NaN, 0f}, new long[]{1, 3, 1, 1}, DataType.FLOAT);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Images.fromTensor(nan, PixelRange.ZERO_TO_ONE))
                .getMessage().contains("NaN"));
        INDArray four = Nd4j.zeros(DataType.FLOAT, 1, 4, 2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Images.fromTensor(four, PixelRange.ZERO_TO_ONE))
                .getMessage().contains("[1, 4, 2, 2]"));
    }

    @Test
    void loadGivesNchwInMinusOneToOne() {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(4, 2, 0xff0080);
        Path f = dir.resolve("a.png");
        PngWriter.write(img, f, Map.of(), false);
        INDArray t = Images.toTensor(Images.readRgb(f), PixelRange.MINUS_ONE_TO_ONE);
        assertArrayEquals(new long[]{1, 3, 3, 5}, t.shape());
        assertEquals(DataType.FLOAT, t.dataType());
        assertEquals(1f, t.getFloat(0, 0, 2, 4));
        assertEquals(-1f, t.getFloat(0, 1, 2, 4));
        assertEquals(128 / 127.5f - 1f, t.getFloat(0, 2, 2, 4));
        assertEquals(-1f, t.getFloat(0, 0, 0, 0));
    }

    @Test
    void grayscalePngKeepsRawLevels() throws Exception {
        BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {0, 17, 64, 128, 180, 200, 254, 255};
        gray.getRaster().setPixels(0, 0, 4, 2, levels);
        Path f = dir.resolve("gray.png");
        ImageIO.write(gray, "png", f.toFile());
        BufferedImage rgb = Images.readRgb(f);
        for (int i = 0; i < levels.length; i++) {
            int v = levels[i];
            assertEquals(v * 0x010101, rgb.getRGB(i % 4, i / 4) & 0xffffff, "level " + v);
        }
    }

    @Test
    void sixteenBitGrayIsScaledToEightBits() throws Exception {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setPixels(0, 0, 2, 1, new int[]{257 * 100, 65535});
        Path f = dir.resolve("gray16.png");
        ImageIO.write(gray, "png", f.toFile());
        BufferedImage rgb = Images.readRgb(f);
        assertEquals(100 * 0x010101, rgb.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, rgb.getRGB(1, 0) & 0xffffff);
    }

    @Test
    void rgbaPngAlphaCompositedOnWhiteOrDropped() throws Exception {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000); // fully transparent black
        argb.setRGB(1, 0, 0x80ff0000); // half transparent red (a=128)
        argb.setRGB(2, 0, 0xff00ff00); // opaque green
        Path f = dir.resolve("rgba.png");
        ImageIO.write(argb, "png", f.toFile());
        BufferedImage white = Images.readRgb(f, AlphaMode.COMPOSITE_ON_WHITE);
        assertEquals(0xffffff, white.getRGB(0, 0) & 0xffffff);
        // red: (255*128 + 255*127)/255 = 255; green/blue: 255*127/255 = 127
        assertEquals(0xff7f7f, white.getRGB(1, 0) & 0xffffff);
        assertEquals(0x00ff00, white.getRGB(2, 0) & 0xffffff);
        BufferedImage dropped = Images.readRgb(f, AlphaMode.DROP);
        assertEquals(0x000000, dropped.getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, dropped.getRGB(1, 0) & 0xffffff);
        assertEquals(0x00ff00, dropped.getRGB(2, 0) & 0xffffff);
    }

    @Test
    void grayWithAlphaPng() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixels(0, 0, 2, 1, new int[]{100, 255, 0, 0}); // (gray 100, opaque), (gray 0, transparent)
        BufferedImage ga = new BufferedImage(cm, r, false, null);
        Path f = dir.resolve("ga.png");
        assertTrue(ImageIO.write(ga, "png", f.toFile()));
        BufferedImage white = Images.readRgb(f, AlphaMode.COMPOSITE_ON_WHITE);
        assertEquals(100 * 0x010101, white.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, white.getRGB(1, 0) & 0xffffff);
        assertEquals(0x000000, Images.readRgb(f, AlphaMode.DROP).getRGB(1, 0) & 0xffffff);
    }

    @Test
    void jpegLoads() throws Exception {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 32; x++) img.setRGB(x, y, x < 16 ? 0xc83c28 : 0x3278dc);
        Path f = dir.resolve("photo.jpg");
        assertTrue(ImageIO.write(img, "jpg", f.toFile()));
        INDArray t = Preprocess.load(f, 16, Preprocess.Convention.TEXTUAL_INVERSION_CROP_THEN_RESIZE);
        assertArrayEquals(new long[]{1, 3, 16, 16}, t.shape());
        BufferedImage back = Images.readRgb(f);
        // JPEG is lossy: away from the edge the flat colours come back within a few levels.
        assertClose(0xc83c28, back.getRGB(3, 8), 6);
        assertClose(0x3278dc, back.getRGB(28, 8), 6);
    }

    static void assertClose(int expected, int actual, int tol) {
        for (int s = 0; s <= 16; s += 8) {
            int e = (expected >> s) & 0xff, a = (actual >> s) & 0xff;
            assertTrue(Math.abs(e - a) <= tol, String.format("expected %06x got %06x", expected, actual & 0xffffff));
        }
    }

    @Test
    void badFilesGiveImageFormatExceptionNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.png");
        assertMessage(missing, "file not found");

        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertMessage(empty, "empty file");

        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image at all");
        assertMessage(text, "unrecognized image format");

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(1);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, rnd.nextInt());
        Path good = dir.resolve("good.png");
        ImageIO.write(img, "png", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(truncated, "PNG");

        byte[] corrupt = bytes.clone();
        for (int i = 60; i < corrupt.length - 20; i++) corrupt[i] ^= (byte) 0x5a; // scramble IDAT
        Path scrambled = Files.write(dir.resolve("corrupt.png"), corrupt);
        assertMessage(scrambled, "corrupt");

        Path jpg = dir.resolve("good.jpg");
        ImageIO.write(img, "jpg", jpg.toFile());
        byte[] jb = Files.readAllBytes(jpg);
        Path truncatedJpg = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jb, 20));
        assertMessage(truncatedJpg, "JPEG");
    }

    private static void assertMessage(Path file, String fragment) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Images.readRgb(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(fragment.toLowerCase()), e.getMessage());
        assertEquals(file, e.file());
    }
}

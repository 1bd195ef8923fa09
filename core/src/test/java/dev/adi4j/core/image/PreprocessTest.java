package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessTest {
    @TempDir
    Path dir;

    private static final int RED = 0xff0000, GREEN = 0x00ff00, BLUE = 0x0000ff;

    /** Columns [0,a) red, [a,b) green, [b,w) blue. */
    private static BufferedImage columns(int w, int h, int a, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, x < a ? RED : x < b ? GREEN : BLUE);
        return img;
    }

    /** Row y has colour (y, 0, 0): which source rows a crop kept can be read off the result. */
    private static BufferedImage rowIndexed(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (y * 10) << 16);
        return img;
    }

    private static void assertAll(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(rgb, img.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void textualInversionCropsLargestCentredSquareThenResizes() {
        // 31x20 landscape: square side 20 starts at (31-20)//2 = 5, so exactly the green columns 5..24 survive.
        BufferedImage out = Preprocess.centerCropThenResize(columns(31, 20, 5, 25), 8);
        assertEquals(8, out.getWidth());
        assertEquals(8, out.getHeight());
        assertAll(out, GREEN);
        // Portrait 12x25: crop side 12 from row (25-12)//2 = 6, i.e. rows 6..17; at size 12 there is no resize.
        BufferedImage portrait = Preprocess.centerCropThenResize(rowIndexed(12, 25), 12);
        for (int y = 0; y < 12; y++) assertEquals(((6 + y) * 10) << 16, portrait.getRGB(3, y) & 0xffffff);
    }

    @Test
    void textToImageResizesShorterSideThenCentreCrops() {
        // 10x23 portrait, size 10: shorter side already 10, long side int(10*23/10)=23 (no resize);
        // crop top = round(6.5) = 6 with Python's half-to-even rounding (Math.round would give 7).
        BufferedImage out = Preprocess.resizeShorterSideThenCenterCrop(rowIndexed(10, 23), 10);
        assertEquals(10, out.getWidth());
        assertEquals(10, out.getHeight());
        for (int y = 0; y < 10; y++) assertEquals(((6 + y) * 10) << 16, out.getRGB(5, y) & 0xffffff);
        // 60x20 landscape -> resized to 30x10 (factor 2), crop left = 10: output columns map to source 20..39.
        BufferedImage land = Preprocess.resizeShorterSideThenCenterCrop(columns(60, 20, 16, 44), 10);
        assertEquals(10, land.getWidth());
        assertEquals(10, land.getHeight());
        assertAll(land, GREEN); // bilinear support at factor 2 spans +-2 source pixels: 18..41 all green
    }

    @Test
    void nonIntegerScaleKeepsGeometry() {
        BufferedImage out = Preprocess.resizeShorterSideThenCenterCrop(columns(37, 23, 0, 37), 16);
        assertEquals(16, out.getWidth());
        assertEquals(16, out.getHeight());
        assertAll(out, GREEN); // a constant image stays exactly constant (normalised weights)
        BufferedImage ti = Preprocess.centerCropThenResize(columns(23, 37, 0, 23), 50);
        assertEquals(50, ti.getWidth());
        assertAll(ti, GREEN);
    }

    @Test
    void resamplersReproduceLinearRampsAwayFromEdges() {
        BufferedImage ramp = new BufferedImage(32, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 32; x++) ramp.setRGB(x, y, (x * 8) << 16);
        for (Resampler.Filter f : Resampler.Filter.values()) {
            BufferedImage half = Resampler.resize(ramp, 16, 4, f);
            // output pixel j covers source centre 2j+0.5, so its value is 8*(2j+0.5) = 16j+4
            for (int j = 2; j < 14; j++) assertEquals(16 * j + 4, (half.getRGB(j, 1) >> 16) & 0xff, f + " j=" + j);
            BufferedImage dbl = Resampler.resize(ramp, 64, 4, f);
            // output pixel j samples source position (j+0.5)/2 - 0.5 -> value 8*((j+0.5)/2-0.5) = 4j - 2
            for (int j = 6; j < 58; j++) assertEquals(4 * j - 2, (dbl.getRGB(j, 1) >> 16) & 0xff, f + " j=" + j);
        }
    }

    @Test
    void bilinearDownscaleByTwoMatchesPilWeights() {
        // PIL's antialiased bilinear at scale 2 weights source pixels 2j-1..2j+2 with 1/8, 3/8, 3/8, 1/8,
        // renormalised at the border (first output: 3/7, 3/7, 1/7 over pixels 0..2).
        BufferedImage src = new BufferedImage(8, 1, BufferedImage.TYPE_INT_RGB);
        int[] v = {0, 80, 160, 240, 0, 0, 200, 40};
        for (int x = 0; x < 8; x++) src.setRGB(x, 0, v[x] << 16);
        BufferedImage out = Resampler.resize(src, 4, 1, Resampler.Filter.BILINEAR);
        assertEquals(Math.round((3 * 0 + 3 * 80 + 160) / 7f), (out.getRGB(0, 0) >> 16) & 0xff);
        assertEquals(Math.round((80 + 3 * 160 + 3 * 240 + 0) / 8f), (out.getRGB(1, 0) >> 16) & 0xff);
        assertEquals(Math.round((240 + 3 * 0 + 3 * 0 + 200) / 8f), (out.getRGB(2, 0) >> 16) & 0xff);
    }

    @Test
    void loadReturnsVaeReadyTensor() {
        Path f = dir.resolve("wide.png");
        PngWriter.write(columns(48, 24, 12, 36), f, Map.of(), false);
        for (Preprocess.Convention c : Preprocess.Convention.values()) {
            INDArray t = Preprocess.load(f, 16, c);
            assertArrayEquals(new long[]{1, 3, 16, 16}, t.shape());
            assertEquals(-1.0, t.minNumber().doubleValue(), 0.0, c.toString());
            assertEquals(1.0, t.maxNumber().doubleValue(), 0.0, c.toString());
            assertEquals(-1f, t.getFloat(0, 0, 8, 8), c.toString()); // green centre: R=-1, G=1
            assertEquals(1f, t.getFloat(0, 1, 8, 8), c.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Preprocess.load(f, 0, Preprocess.Convention.TEXT_TO_IMAGE_RESIZE_THEN_CROP));
    }
}

package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ImageGridTest {
    @TempDir
    Path dir;

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    private static int darkPixels(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff) < 300) n++;
            }
        }
        return n;
    }

    @Test
    void gridGeometryCellsAndLabels() {
        int w = 64, h = 48;
        int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff};
        List<BufferedImage> cells = new ArrayList<>();
        for (int c : colours) cells.add(solid(w, h, c));
        List<String> labels = Arrays.asList("seed 1", "", "seed 3", null, "a very long label that cannot fit in one cell");
        for (ImageGrid.LabelPosition pos : ImageGrid.LabelPosition.values()) {
            BufferedImage g = ImageGrid.build(cells, labels, 2, 3, pos);
            int gap = ImageGrid.GAP;
            assertEquals(3 * w + 4 * gap, g.getWidth());
            int band = (g.getHeight() - 3 * gap) / 2 - h;
            assertTrue(band > 8, "label band present: " + band);
            assertEquals(2 * (h + band) + 3 * gap, g.getHeight());
            for (int i = 0; i < 6; i++) {
                int x0 = gap + (i % 3) * (w + gap), y0 = gap + (i / 3) * (h + band + gap);
                int imgY = pos == ImageGrid.LabelPosition.ABOVE ? y0 + band : y0;
                int bandY = pos == ImageGrid.LabelPosition.ABOVE ? y0 : y0 + h;
                int expected = i < 5 ? colours[i] : 0xffffff; // sixth cell blank
                assertEquals(expected, g.getRGB(x0 + w / 2, imgY + h / 2) & 0xffffff, pos + " cell " + i);
                assertEquals(expected, g.getRGB(x0, imgY) & 0xffffff, pos + " cell corner " + i);
                int ink = darkPixels(g, x0, bandY, w, band);
                boolean labelled = i < labels.size() && labels.get(i) != null && !labels.get(i).isEmpty();
                assertEquals(labelled, ink > 0, pos + " label ink in cell " + i + ": " + ink);
            }
        }
    }

    @Test
    void smallerImagesAreCentredAndNoLabelsMeansNoBand() {
        BufferedImage g = ImageGrid.build(List.of(solid(20, 10, 0xff0000), solid(10, 4, 0x0000ff)), null, 1, 2,
                ImageGrid.LabelPosition.BELOW);
        int gap = ImageGrid.GAP;
        assertEquals(2 * 20 + 3 * gap, g.getWidth());
        assertEquals(10 + 2 * gap, g.getHeight());
        int x1 = gap + 20 + gap;
        assertEquals(0xffffff, g.getRGB(x1 + 2, gap + 1) & 0xffffff);
        assertEquals(0x0000ff, g.getRGB(x1 + 5, gap + 3) & 0xffffff);
        assertEquals(0x0000ff, g.getRGB(x1 + 14, gap + 6) & 0xffffff);
        assertEquals(0xffffff, g.getRGB(x1 + 15, gap + 6) & 0xffffff);
    }

    @Test
    void multiLineLabelsGetTallerBandAndGridSavesAsPng() {
        List<BufferedImage> cells = List.of(solid(80, 40, 0x808080));
        BufferedImage one = ImageGrid.build(cells, List.of("one"), 1, 1, ImageGrid.LabelPosition.BELOW);
        BufferedImage two = ImageGrid.build(cells, List.of("one\ntwo"), 1, 1, ImageGrid.LabelPosition.BELOW);
        assertTrue(two.getHeight() > one.getHeight());
        Path f = dir.resolve("grid.png");
        ImageGrid.save(cells, List.of("one\ntwo"), 1, 1, ImageGrid.LabelPosition.BELOW, f, Map.of("parameters", "grid"), false);
        BufferedImage back = Images.readRgb(f);
        assertEquals(two.getWidth(), back.getWidth());
        assertEquals(two.getHeight(), back.getHeight());
        assertArrayEquals(two.getRGB(0, 0, two.getWidth(), two.getHeight(), null, 0, two.getWidth()),
                back.getRGB(0, 0, back.getWidth(), back.getHeight(), null, 0, back.getWidth()));
        assertEquals("grid", PngText.read(f).get("parameters"));
    }

    @Test
    void tooManyImagesRefused() {
        List<BufferedImage> cells = List.of(solid(2, 2, 0), solid(2, 2, 0), solid(2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.build(cells, null, 1, 2, ImageGrid.LabelPosition.BELOW));
    }
}

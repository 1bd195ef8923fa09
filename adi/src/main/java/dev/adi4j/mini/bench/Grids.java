package dev.adi4j.mini.bench;

import dev.adi4j.core.io.AtomicWrite;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Image grids for reports: one row per list, nearest-neighbour upscaled (32x32 images are too small to see). */
public final class Grids {
    private static final int GAP = 2;

    private Grids() {
    }

    /** Writes the rows as one PNG, atomically. */
    public static void write(Path file, List<List<BufferedImage>> rows, int scale) throws IOException {
        int cell = rows.get(0).get(0).getWidth() * scale;
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        BufferedImage out = new BufferedImage(cols * (cell + GAP) + GAP, rows.size() * (cell + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                g.drawImage(rows.get(r).get(c), GAP + c * (cell + GAP), GAP + r * (cell + GAP), cell, cell, null);
            }
        }
        g.dispose();
        AtomicWrite.write(file, true, tmp -> ImageIO.write(out, "png", tmp.toFile()));
    }
}

package dev.adi4j.core.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A rows x cols contact sheet with a text label above or below every cell (Java2D, white background,
 * black text). Cells take the size of the largest image; smaller images are centred; a null image leaves
 * its cell blank. Labels may hold several lines ("\n"); a line too wide for its cell is cut with "...".
 */
public final class ImageGrid {
    /** Where labels go relative to their image. */
    public enum LabelPosition { ABOVE, BELOW }

    /** Gap between cells and around the sheet, in pixels. */
    public static final int GAP = 4;

    private ImageGrid() {
    }

    /**
     * Builds the grid. {@code images} and {@code labels} are in row-major order; each may be shorter than
     * rows*cols (missing cells are blank); {@code labels} may be null for no labels at all.
     */
    public static BufferedImage build(List<BufferedImage> images, List<String> labels, int rows, int cols,
                                      LabelPosition position) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("rows and cols must be positive, got "
                + rows + "x" + cols);
        if (images.size() > rows * cols || (labels != null && labels.size() > rows * cols)) {
            throw new IllegalArgumentException(images.size() + " images / " + (labels == null ? 0 : labels.size())
                    + " labels do not fit a " + rows + "x" + cols + " grid");
        }
        int cellW = 1, cellH = 1;
        for (BufferedImage img : images) {
            if (img != null) {
                cellW = Math.max(cellW, img.getWidth());
                cellH = Math.max(cellH, img.getHeight());
            }
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(32, cellW / 16)));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int lines = maxLines(labels);
        int band = lines == 0 ? 0 : lines * fm.getHeight() + GAP;
        int slotH = cellH + band;
        BufferedImage sheet = new BufferedImage(cols * cellW + (cols + 1) * GAP, rows * slotH + (rows + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.BLACK);
            for (int i = 0; i < rows * cols; i++) {
                int x0 = GAP + (i % cols) * (cellW + GAP);
                int y0 = GAP + (i / cols) * (slotH + GAP);
                int imgY = position == LabelPosition.ABOVE ? y0 + band : y0;
                int bandY = position == LabelPosition.ABOVE ? y0 : y0 + cellH + GAP;
                if (i < images.size() && images.get(i) != null) {
                    BufferedImage img = images.get(i);
                    g.drawImage(img, x0 + (cellW - img.getWidth()) / 2, imgY + (cellH - img.getHeight()) / 2, null);
                }
                if (labels != null && i < labels.size() && labels.get(i) != null) {
                    drawLabel(g, fm, labels.get(i), x0, bandY, cellW);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** Builds the grid and writes it as a PNG (atomic; see {@link PngWriter}). */
    public static BufferedImage save(List<BufferedImage> images, List<String> labels, int rows, int cols,
                                     LabelPosition position, Path file, Map<String, String> text, boolean overwrite) {
        BufferedImage sheet = build(images, labels, rows, cols, position);
        PngWriter.write(sheet, file, text, overwrite);
        return sheet;
    }

    private static int maxLines(List<String> labels) {
        int max = 0;
        if (labels != null) {
            for (String l : labels) if (l != null && !l.isEmpty()) max = Math.max(max, l.split("\n", -1).length);
        }
        return max;
    }

    private static void drawLabel(Graphics2D g, FontMetrics fm, String label, int x0, int y0, int width) {
        if (label.isEmpty()) return;
        String[] lines = label.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            String line = fit(fm, lines[k], width);
            int x = x0 + Math.max(0, (width - fm.stringWidth(line)) / 2);
            g.drawString(line, x, y0 + k * fm.getHeight() + fm.getAscent());
        }
    }

    private static String fit(FontMetrics fm, String s, int width) {
        if (fm.stringWidth(s) <= width) return s;
        String dots = "...";
        int n = s.length();
        while (n > 0 && fm.stringWidth(s.substring(0, n) + dots) > width) n--;
        return s.substring(0, n) + dots;
    }
}

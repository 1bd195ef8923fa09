package dev.adi4j.mini.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Draws a {@link Scene} with Java2D, headless and without assets. Output depends on the scene and the size only:
 * fixed rendering hints, no fonts, no system paints, so the same JVM gives the same pixels on every run. Figures are
 * laid out in fractions of the image side, so 32x32 (the training size) and 64x64 (for viewing) show the same scene.
 */
public final class Renderer {
    /** The size the base model is trained at. */
    public static final int TRAINING_SIZE = 32;
    /** Pixels per body unit, as a fraction of the image side, at scale 1 (a standing man is then ~0.6 of the image tall). */
    static final double UNIT = 0.58;

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Renderer() {
    }

    /** The scene as a size x size RGB image. */
    public static BufferedImage render(Scene scene, int size) {
        checkSize(size);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        try {
            Backdrops.paint(g, scene.background(), scene.jitter(), size);
            Shape figure = figure(scene, size);
            g.setColor(scene.color().color());
            g.fill(figure);
            g.setColor(scene.color().outline());
            g.setStroke(outline(size));
            g.draw(figure);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The pixels the figure covers in {@link #render}: the foreground mask (fill and outline, at least half-covered). */
    public static Mask mask(Scene scene, int size) {
        checkSize(size);
        BufferedImage gray = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = graphics(gray);
        try {
            Shape figure = figure(scene, size);
            g.setColor(Color.WHITE);
            g.fill(figure);
            g.setStroke(outline(size));
            g.draw(figure);
        } finally {
            g.dispose();
        }
        Raster r = gray.getRaster();
        boolean[] on = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) on[y * size + x] = r.getSample(x, y, 0) >= 128;
        }
        return new Mask(size, on);
    }

    /**
     * The silhouette in pixels: the lowest point on the ground (or {@link Action#lift()} above it), the bounding box
     * centred on {@code centerX}. Placing by the bounding box rather than the pelvis keeps wide poses (kicking, sitting)
     * inside the frame.
     */
    static Shape figure(Scene scene, int size) {
        Area body = Figures.silhouette(scene.subject(), scene.pose());
        Rectangle2D b = body.getBounds2D();
        Jitter j = scene.jitter();
        double u = UNIT * size * j.scale();
        double lift = scene.action().lift();
        AffineTransform toPixels = new AffineTransform(u, 0, 0, -u, j.centerX() * size - b.getCenterX() * u,
                j.groundY() * size + (b.getMinY() - lift) * u);
        return toPixels.createTransformedShape(body);
    }

    private static BasicStroke outline(int size) {
        return new BasicStroke(size / 40f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** Every hint that affects pixels, fixed: defaults may differ between machines and pipelines. */
    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_ALPHA_INTERPOLATION, RenderingHints.VALUE_ALPHA_INTERPOLATION_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return g;
    }

    private static void checkSize(int size) {
        if (size < 16 || size > 1024) throw new IllegalArgumentException("image size must be 16..1024, got " + size);
    }
}

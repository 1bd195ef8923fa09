package dev.adi4j.tests;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small action folders for training tests: stick figures of different colours on different backgrounds, all doing
 * one action (arms raised), with captions; and the same figures doing another action (arms down) as
 * action-different samples named like their anchors.
 */
final class ActionFolders {
    static final Color[] BODY = {Color.RED, Color.BLUE, new Color(0, 140, 0), Color.ORANGE};
    static final Color[] BACKGROUND = {Color.WHITE, new Color(200, 220, 255), new Color(255, 240, 200), Color.LIGHT_GRAY};

    private ActionFolders() {
    }

    /** {@code count} exemplars of "arms raised" in {@code dir} with captions.txt. */
    static Path exemplars(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImageIO.write(figure(i, true), "png", dir.resolve("person" + i + ".png").toFile());
            captions.add("person" + i + ".png\ta person in " + colourName(i));
        }
        Files.write(dir.resolve("captions.txt"), captions);
        return dir;
    }

    /** The same people with their arms down, one per exemplar, same file names. */
    static Path actionDifferent(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) ImageIO.write(figure(i, false), "png", dir.resolve("person" + i + ".png").toFile());
        return dir;
    }

    private static String colourName(int i) {
        return new String[]{"red", "blue", "green", "orange"}[i % 4];
    }

    private static BufferedImage figure(int i, boolean armsUp) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND[i % BACKGROUND.length]);
        g.fillRect(0, 0, 64, 64);
        g.setColor(BODY[i % BODY.length]);
        g.setStroke(new BasicStroke(3));
        int x = 28 + (i % 3) * 2;
        g.fillOval(x - 5, 6, 10, 10);
        g.drawLine(x, 16, x, 40);
        g.drawLine(x, 40, x - 8, 58);
        g.drawLine(x, 40, x + 8, 58);
        if (armsUp) {
            g.drawLine(x, 22, x - 10, 6);
            g.drawLine(x, 22, x + 10, 6);
        } else {
            g.drawLine(x, 22, x - 10, 36);
            g.drawLine(x, 22, x + 10, 36);
        }
        g.dispose();
        return img;
    }
}

package dev.adi4j.mini.world;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendererTest {
    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void rendersRgbAtTheTrainingSizeAndForViewing() {
        Scene scene = Scene.of(3, Subject.ROBOT, BodyColor.RED, Action.SALUTING, Background.BLUE);
        for (int size : new int[]{Renderer.TRAINING_SIZE, 64}) {
            BufferedImage image = Renderer.render(scene, size);
            assertEquals(size, image.getWidth());
            assertEquals(size, image.getHeight());
            assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
            assertFalse(image.getColorModel().hasAlpha());
            assertEquals(3, image.getColorModel().getNumComponents());
        }
        assertThrows(IllegalArgumentException.class, () -> Renderer.render(scene, 8));
    }

    @Test
    void oneSeedGivesOneImage() {
        for (Subject s : Subject.values()) {
            Scene a = Scene.of(42, s, BodyColor.PURPLE, Action.KICKING, Background.STRIPED);
            Scene b = Scene.of(42, s, BodyColor.PURPLE, Action.KICKING, Background.STRIPED);
            assertEquals(a, b);
            assertArrayEquals(pixels(Renderer.render(a, 32)), pixels(Renderer.render(b, 32)));
            assertArrayEquals(pixels(Renderer.render(a, 64)), pixels(Renderer.render(b, 64)));
        }
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        for (Background bg : Background.values()) {
            BufferedImage a = Renderer.render(Scene.of(1, Subject.CAT, BodyColor.GREEN, Action.SQUATTING, bg), 32);
            BufferedImage b = Renderer.render(Scene.of(2, Subject.CAT, BodyColor.GREEN, Action.SQUATTING, bg), 32);
            assertFalse(java.util.Arrays.equals(pixels(a), pixels(b)), bg.name());
        }
        assertNotEquals(Scene.of(1, Subject.CAT, BodyColor.GREEN, Action.SQUATTING, Background.BLUE).jitter(),
                Scene.of(2, Subject.CAT, BodyColor.GREEN, Action.SQUATTING, Background.BLUE).jitter());
    }

    @Test
    void theFigureIsDrawnInItsColourWhereTheMaskIs() {
        Scene scene = new Scene(Subject.BEAR, BodyColor.BLUE, Action.STANDING, Background.PINK, Jitter.NONE);
        BufferedImage image = Renderer.render(scene, 64);
        Mask mask = Renderer.mask(scene, 64);
        int body = BodyColor.BLUE.color().getRGB() & 0xffffff, inside = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb == body) {
                    assertTrue(mask.get(x, y), "body colour outside the mask at " + x + "," + y);
                    inside++;
                }
            }
        }
        assertTrue(inside > mask.count() / 2, inside + " body pixels of " + mask.count());
    }

    @Test
    void everyBodyColourStandsOutFromEveryBackground() {
        for (BodyColor c : BodyColor.values()) {
            for (Background bg : Background.values()) {
                for (java.awt.Color b : new java.awt.Color[]{bg.top(), bg.bottom()}) {
                    double d = Math.sqrt(sq(c.color().getRed() - b.getRed()) + sq(c.color().getGreen() - b.getGreen())
                            + sq(c.color().getBlue() - b.getBlue()));
                    // 60 of 441 (black to white): well apart at any brightness shade; the outline adds contrast.
                    assertTrue(d >= 60, c + " on " + bg + ": RGB distance " + d);
                }
            }
        }
    }

    @Test
    void placementFollowsTheJitter() {
        Jitter left = new Jitter(0.35, 0.9, 1, 0, 0, Pose.ZERO), right = new Jitter(0.65, 0.9, 1, 0, 0, Pose.ZERO);
        Mask l = Renderer.mask(new Scene(Subject.MAN, BodyColor.RED, Action.STANDING, Background.GREY, left), 64);
        Mask r = Renderer.mask(new Scene(Subject.MAN, BodyColor.RED, Action.STANDING, Background.GREY, right), 64);
        assertEquals(0.35 * 64, centroidX(l), 1.5);
        assertEquals(0.65 * 64, centroidX(r), 1.5);
        assertEquals(0.9 * 64, lowestRow(l) + 1, 1.0);
    }

    @Test
    void jumpingFloatsAboveTheGround() {
        Jitter j = new Jitter(0.5, 0.88, 1, 0, 0, Pose.ZERO);
        Mask jump = Renderer.mask(new Scene(Subject.MAN, BodyColor.RED, Action.JUMPING, Background.GREY, j), 64);
        Mask stand = Renderer.mask(new Scene(Subject.MAN, BodyColor.RED, Action.STANDING, Background.GREY, j), 64);
        int gap = lowestRow(stand) - lowestRow(jump);
        assertEquals(Action.JUMPING.lift() * Renderer.UNIT * 64, gap, 1.5);
    }

    static double centroidX(Mask m) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < m.size(); y++) for (int x = 0; x < m.size(); x++) if (m.get(x, y)) { sum += x + 0.5; n++; }
        return sum / n;
    }

    static int lowestRow(Mask m) {
        for (int y = m.size() - 1; y >= 0; y--) for (int x = 0; x < m.size(); x++) if (m.get(x, y)) return y;
        return -1;
    }

    private static double sq(double v) {
        return v * v;
    }
}

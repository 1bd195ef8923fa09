package dev.adi4j.mini.world;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties over arbitrary seeds and labels (jqwik). */
class MiniWorldPropertiesTest {
    @Property(tries = 150)
    void anySceneRendersTheSameTwiceAndStaysInTheFrame(@ForAll long seed, @ForAll Subject subject,
                                                        @ForAll BodyColor color, @ForAll Action action,
                                                        @ForAll Background background) {
        Scene scene = Scene.of(seed, subject, color, action, background);
        BufferedImage a = Renderer.render(scene, 32), b = Renderer.render(Scene.of(seed, subject, color, action,
                background), 32);
        assertArrayEquals(RendererTest.pixels(a), RendererTest.pixels(b));
        Mask mask = Renderer.mask(scene, 32);
        assertFalse(mask.touchesBorder(), scene + " " + mask);
        assertTrue(mask.count() >= 40, scene + " " + mask);
        assertEquals(mask, Renderer.mask(scene, 32));
    }

    @Property(tries = 200)
    void jitterStaysInItsRanges(@ForAll long seed) {
        Jitter j = Scene.of(seed, Subject.MAN, BodyColor.RED, Action.STANDING, Background.BLUE).jitter();
        assertTrue(j.centerX() >= 0.4 && j.centerX() <= 0.6, j.toString());
        assertTrue(j.groundY() >= 0.85 && j.groundY() <= 0.92, j.toString());
        assertTrue(j.scale() >= 0.85 && j.scale() <= 1.0, j.toString());
        assertTrue(Math.abs(j.shade()) <= 0.06 && j.stripePhase() >= 0 && j.stripePhase() < 1, j.toString());
        for (double angle : j.poseNoise().angles()) assertTrue(Math.abs(angle) <= Jitter.MAX_POSE_NOISE, j.toString());
    }

    @Property(tries = 50)
    void datasetsAreBalancedAndDeterministic(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int count) {
        var d = MiniDataset.generate(seed, count, Mix.all(), CaptionPolicy.DEFAULT);
        assertEquals(d, MiniDataset.generate(seed, count, Mix.all(), CaptionPolicy.DEFAULT));
        MiniDatasetTest.assertEveryPrefixBalanced(d, s -> s.scene().subject(), Mix.all().subjects(), "subjects");
        MiniDatasetTest.assertEveryPrefixBalanced(d, s -> s.scene().action(), Mix.all().actions(), "actions");
        MiniDatasetTest.assertEveryPrefixBalanced(d, s -> s.scene().color(), Mix.all().colors(), "colours");
        for (Sample s : d) {
            if (CaptionPolicy.DEFAULT.isHeldOut(s.scene().action())) {
                assertFalse(s.caption().contains(s.scene().action().phrase()), s.caption());
            } else {
                assertTrue(s.caption().contains(s.scene().action().phrase()), s.caption());
            }
        }
    }
}

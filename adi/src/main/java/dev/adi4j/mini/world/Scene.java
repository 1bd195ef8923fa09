package dev.adi4j.mini.world;

import java.util.SplittableRandom;

/** Everything one image shows: its ground truth. Rendering a scene is a pure function of it (and the size). */
public record Scene(Subject subject, BodyColor color, Action action, Background background, Jitter jitter) {
    /**
     * The scene of {@code seed}. The jitter depends on the seed only, so one seed with different labels gives the same
     * placement, background shade and pose noise: scenes that differ in exactly the labels.
     */
    public static Scene of(long seed, Subject subject, BodyColor color, Action action, Background background) {
        return new Scene(subject, color, action, background, Jitter.draw(new SplittableRandom(seed)));
    }

    /** The pose drawn: the action's pose plus the pose noise. */
    public Pose pose() {
        return action.pose().plus(jitter.poseNoise());
    }
}

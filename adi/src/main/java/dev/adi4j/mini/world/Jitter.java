package dev.adi4j.mini.world;

import java.util.SplittableRandom;

/**
 * The context of one image beyond its labels, all drawn from a seeded generator: where the figure stands
 * ({@code centerX}, {@code groundY} as fractions of the image side), its {@code scale}, a background brightness
 * {@code shade} (-0.06..0.06), the stripes' {@code stripePhase} (0..1) and the {@code poseNoise} added to the action's
 * pose (each angle within +-{@value #MAX_POSE_NOISE} degrees). The ranges keep every figure inside the frame.
 */
public record Jitter(double centerX, double groundY, double scale, double shade, double stripePhase, Pose poseNoise) {
    /** Bound of the uniform noise on each joint angle, in degrees: small enough that no action looks like another. */
    public static final double MAX_POSE_NOISE = 6;

    /** No jitter: centred, standing at 0.88, scale 1, the exact pose. */
    public static final Jitter NONE = new Jitter(0.5, 0.88, 1.0, 0, 0, Pose.ZERO);

    /** Draws a jitter; the order of draws is fixed, so one generator state gives one jitter. */
    public static Jitter draw(SplittableRandom rng) {
        double centerX = uniform(rng, 0.40, 0.60);
        double groundY = uniform(rng, 0.85, 0.92);
        double scale = uniform(rng, 0.85, 1.0);
        double shade = uniform(rng, -0.06, 0.06);
        double phase = rng.nextDouble();
        double[] noise = new double[9];
        for (int i = 0; i < noise.length; i++) noise[i] = uniform(rng, -MAX_POSE_NOISE, MAX_POSE_NOISE);
        return new Jitter(centerX, groundY, scale, shade, phase, Pose.of(noise));
    }

    /** The same placement and background with another pose noise. */
    public Jitter withPoseNoise(Pose noise) {
        return new Jitter(centerX, groundY, scale, shade, stripePhase, noise);
    }

    private static double uniform(SplittableRandom rng, double from, double to) {
        return from + (to - from) * rng.nextDouble();
    }
}

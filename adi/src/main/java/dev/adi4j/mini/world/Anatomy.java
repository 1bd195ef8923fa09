package dev.adi4j.mini.world;

/**
 * A subject's proportions in body units (an adult is about 1 tall): segment lengths of the shared skeleton and the
 * widths its parts are drawn with. {@code shoulderDrop} is how far below the neck the shoulders sit;
 * {@code headRadius} is the half-width of the head (the half-side for a square one).
 */
public record Anatomy(double torso, double torsoWidth, double neck, double headRadius, double upperArm,
                      double foreArm, double thigh, double shin, double shoulderHalf, double shoulderDrop,
                      double hipHalf, double armWidth, double legWidth) {
}

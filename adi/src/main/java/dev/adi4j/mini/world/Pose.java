package dev.adi4j.mini.world;

/**
 * Joint angles of the skeleton every subject shares, in degrees. {@code torso} leans the torso's top towards
 * screen-right when positive; beyond +-90 the figure is upside down (see {@link Skeleton}). Left and right are the
 * screen's. A pose means the same for every subject, which is what lets an action transfer across subjects.
 */
public record Pose(double torso, Limb leftArm, Limb rightArm, Limb leftLeg, Limb rightLeg) {
    /** No angles at all: the identity for {@link #plus}. */
    public static final Pose ZERO = new Pose(0, new Limb(0, 0), new Limb(0, 0), new Limb(0, 0), new Limb(0, 0));

    /** Joint-wise sum. */
    public Pose plus(Pose other) {
        return new Pose(torso + other.torso, leftArm.plus(other.leftArm), rightArm.plus(other.rightArm),
                leftLeg.plus(other.leftLeg), rightLeg.plus(other.rightLeg));
    }

    /** The nine angles in a fixed order (torso, left arm, right arm, left leg, right leg; upper before lower). */
    public double[] angles() {
        return new double[]{torso, leftArm.upper(), leftArm.lower(), rightArm.upper(), rightArm.lower(),
                leftLeg.upper(), leftLeg.lower(), rightLeg.upper(), rightLeg.lower()};
    }

    /** The inverse of {@link #angles()}. */
    public static Pose of(double[] a) {
        if (a.length != 9) throw new IllegalArgumentException("a pose has 9 angles, got " + a.length);
        return new Pose(a[0], new Limb(a[1], a[2]), new Limb(a[3], a[4]), new Limb(a[5], a[6]), new Limb(a[7], a[8]));
    }
}

package dev.adi4j.mini.world;

/**
 * The two joint angles of one arm or leg, in degrees: {@code upper} at the shoulder or hip, relative to the torso
 * (0 = along the torso towards the feet, positive = towards the figure's screen-right), and {@code lower} at the
 * elbow or knee, relative to the upper segment (0 = straight).
 */
public record Limb(double upper, double lower) {
    /** Component-wise sum, e.g. a pose plus its noise. */
    public Limb plus(Limb other) {
        return new Limb(upper + other.upper, lower + other.lower);
    }
}

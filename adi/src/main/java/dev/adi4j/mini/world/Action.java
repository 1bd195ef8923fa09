package dev.adi4j.mini.world;

import java.util.Arrays;
import java.util.List;

/**
 * What a figure does: a pose of the shared skeleton, how far it floats above the ground, and the plain-language
 * phrase a caption (or the text-only baseline's prompt) uses for it. {@link #STANDING} is the neutral reference
 * pose; the other eight are the world's actions ({@link #performed()}).
 */
public enum Action {
    // Angles: torso, then left arm, right arm, left leg, right leg as (shoulder or hip, elbow or knee); see Pose.
    // The one-arm actions point their arm away from each other so that they differ by more than a forearm at 32x32:
    // waving raises it up and out, saluting holds the elbow level and brings the hand to the head. The handstand keeps
    // the legs together so that it is not the jump's X upside down.
    STANDING("standing", "stand", 0,
            pose(0, -12, 0, 12, 0, -5, 0, 5, 0)),
    RAISING_BOTH_ARMS("raising both arms", "arms up", 0,
            pose(0, -160, 0, 160, 0, -5, 0, 5, 0)),
    WAVING("waving one hand", "wave", 0,
            pose(0, -12, 0, 110, 25, -5, 0, 5, 0)),
    SALUTING("saluting", "salute", 0,
            pose(0, -12, 0, 95, 137, -5, 0, 5, 0)),
    SQUATTING("squatting", "squat", 0,
            pose(0, -90, 0, 90, 0, -75, 70, 75, -70)),
    KICKING("kicking", "kick", 0,
            pose(-12, -115, 0, 40, 20, -3, 0, 95, 0)),
    HANDSTAND("doing a handstand", "handstand", 0,
            pose(180, -155, 0, 155, 0, -4, 0, 4, 0)),
    SITTING("sitting cross-legged", "sit", 0,
            pose(0, -60, 45, 60, -45, -80, 155, 80, -155)),
    JUMPING("jumping with arms and legs spread", "jump", 0.15,
            pose(0, -135, 0, 135, 0, -30, 0, 30, 0));

    private final String phrase;
    private final String label;
    private final double lift;
    private final Pose pose;

    Action(String phrase, String label, double lift, Pose pose) {
        this.phrase = phrase;
        this.label = label;
        this.lift = lift;
        this.pose = pose;
    }

    private static Pose pose(double torso, double la1, double la2, double ra1, double ra2, double ll1, double ll2,
                             double rl1, double rl2) {
        return Pose.of(new double[]{torso, la1, la2, ra1, ra2, ll1, ll2, rl1, rl2});
    }

    /** The plain-language phrase, as in "a photo of a red robot raising both arms". */
    public String phrase() { return phrase; }

    /** A short label for contact sheets. */
    public String label() { return label; }

    /** Gap between the figure's lowest point and the ground, in body units (1 = an adult's height). */
    public double lift() { return lift; }

    /** The noiseless pose. */
    public Pose pose() { return pose; }

    /** Whether this is the neutral reference pose rather than one of the world's actions. */
    public boolean isReference() { return this == STANDING; }

    /** The eight actions (every constant but {@link #STANDING}), in declaration order. */
    public static List<Action> performed() {
        return Arrays.stream(values()).filter(a -> !a.isReference()).toList();
    }
}

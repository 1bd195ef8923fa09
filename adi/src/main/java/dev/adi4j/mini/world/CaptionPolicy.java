package dev.adi4j.mini.world;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How scenes are captioned: "a photo of a red robot raising both arms on a blue background", except that actions
 * {@code heldOut} from language are never named ("a photo of a red robot on a blue background"). The base model
 * then learns to draw those poses without any word for them: the situation ADI addresses.
 */
public record CaptionPolicy(Set<Action> heldOut) {
    /**
     * The default held-out pair, two full-body actions unlike each other: the jump (spread and off the ground) has the
     * silhouette furthest from every other action (mask IoU at most ~0.57 at 32x32); the handstand is the paper's own
     * example and the only upside-down pose (head on the ground), which no captioned word comes near. Neither is a
     * one-arm action, whose small difference from standing would make bench scores hinge on a few pixels.
     */
    public static final CaptionPolicy DEFAULT = new CaptionPolicy(EnumSet.of(Action.HANDSTAND, Action.JUMPING));

    /** Every action named, none held out. */
    public static final CaptionPolicy NONE_HELD_OUT = new CaptionPolicy(EnumSet.noneOf(Action.class));

    public CaptionPolicy {
        // An EnumSet iterates (and prints) in declaration order; Set.copyOf's order changes from one JVM to the next,
        // which made a base-model run's settings string, and so its resume check, differ between processes.
        heldOut = Collections.unmodifiableSet(heldOut.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(heldOut));
    }

    public boolean isHeldOut(Action action) {
        return heldOut.contains(action);
    }

    /** The caption of a scene under this policy. */
    public String caption(Scene scene) {
        String color = scene.color().word();
        StringBuilder s = new StringBuilder("a photo of ").append(article(color)).append(' ').append(color)
                .append(' ').append(scene.subject().word());
        if (!isHeldOut(scene.action())) s.append(' ').append(scene.action().phrase());
        String bg = scene.background().word();
        return s.append(" on ").append(article(bg)).append(' ').append(bg).append(" background").toString();
    }

    /** "a" or "an" before a word of the world's vocabulary (all of whose vowel-initial words take "an"). */
    public static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }
}

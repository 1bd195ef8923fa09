package dev.adi4j.mini.world;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionPolicyTest {
    static Scene scene(Subject s, BodyColor c, Action a, Background b) {
        return Scene.of(0, s, c, a, b);
    }

    @Test
    void captionsReadAsTheSpecSays() {
        CaptionPolicy p = CaptionPolicy.DEFAULT;
        assertEquals("a photo of a red robot raising both arms on a blue background",
                p.caption(scene(Subject.ROBOT, BodyColor.RED, Action.RAISING_BOTH_ARMS, Background.BLUE)));
        assertEquals("a photo of an orange cat waving one hand on a striped background",
                p.caption(scene(Subject.CAT, BodyColor.ORANGE, Action.WAVING, Background.STRIPED)));
        assertEquals("a photo of a red robot on a blue background",
                p.caption(scene(Subject.ROBOT, BodyColor.RED, Action.HANDSTAND, Background.BLUE)));
        assertEquals("a photo of a white bird jumping with arms and legs spread on a gradient background",
                CaptionPolicy.NONE_HELD_OUT.caption(scene(Subject.BIRD, BodyColor.WHITE, Action.JUMPING,
                        Background.GRADIENT)));
    }

    @Test
    void heldOutActionsAreNeverNamedAndTheOthersAlwaysAre() {
        for (Set<Action> heldOut : java.util.List.of(CaptionPolicy.DEFAULT.heldOut(),
                EnumSet.of(Action.SQUATTING, Action.KICKING), EnumSet.noneOf(Action.class))) {
            CaptionPolicy p = new CaptionPolicy(heldOut);
            for (Action a : Action.values()) {
                for (Subject s : Subject.values()) {
                    for (BodyColor c : BodyColor.values()) {
                        for (Background b : Background.values()) {
                            String caption = p.caption(scene(s, c, a, b));
                            assertTrue(caption.contains(s.word()) && caption.contains(c.word())
                                    && caption.contains(b.word()), caption);
                            if (heldOut.contains(a)) {
                                for (Action any : Action.values()) {
                                    assertFalse(caption.contains(any.phrase()), caption + " names " + any);
                                }
                            } else {
                                assertTrue(caption.contains(" " + a.phrase() + " on "), caption);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theDefaultHoldsOutTwoFullBodyActions() {
        assertEquals(Set.of(Action.HANDSTAND, Action.JUMPING), CaptionPolicy.DEFAULT.heldOut());
        assertFalse(CaptionPolicy.DEFAULT.isHeldOut(Action.STANDING));
    }

    @Test
    void everyActionHasItsOwnPlainLanguagePhrase() {
        assertEquals(Action.values().length,
                java.util.Arrays.stream(Action.values()).map(Action::phrase).distinct().count());
        for (Action a : Action.values()) {
            for (Action b : Action.values()) {
                if (a != b) assertFalse(a.phrase().contains(b.phrase()), a + " contains " + b);
            }
        }
        assertEquals(8, Action.performed().size());
        assertFalse(Action.performed().contains(Action.STANDING));
    }
}

package dev.adi4j.mini.judge;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Subject;

import java.util.Arrays;

/**
 * What the judge sees in one image: the most probable subject and action, and the full distributions (indexed by
 * {@link Subject#ordinal()} and {@link Action#ordinal()}; STANDING is an action class).
 */
public record Prediction(Subject subject, Action action, float[] subjectProbabilities, float[] actionProbabilities) {
    public Prediction {
        subjectProbabilities = subjectProbabilities.clone();
        actionProbabilities = actionProbabilities.clone();
    }

    public float subjectProbability() { return subjectProbabilities[subject.ordinal()]; }

    public float actionProbability() { return actionProbabilities[action.ordinal()]; }

    @Override
    public float[] subjectProbabilities() { return subjectProbabilities.clone(); }

    @Override
    public float[] actionProbabilities() { return actionProbabilities.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.subject == subject && p.action == action
                && Arrays.equals(p.subjectProbabilities, subjectProbabilities)
                && Arrays.equals(p.actionProbabilities, actionProbabilities);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * subject.hashCode() + action.hashCode()) + Arrays.hashCode(actionProbabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + subject + " " + subjectProbability() + ", " + action + " " + actionProbability() + "]";
    }
}

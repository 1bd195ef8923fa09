package dev.adi4j.mini.bench;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Subject;

import java.util.List;

/**
 * What ActionBench-mini runs. Identifier methods are named as {@code adi train --method} names them, plus
 * {@value #TEXT_ONLY} (the base model prompted with a plain description).
 *
 * @param actions          the actions benchmarked (the base model's actions held out from language)
 * @param exemplars        exemplar images per action
 * @param exemplarSubjects subjects the exemplars show; every other test subject is unseen in training
 * @param testSubjects     subjects of the test prompts "a photo of a &lt;subject&gt; &lt;identifier&gt;"
 * @param seeds            images per (method, action, subject)
 * @param methods          methods of the main table
 * @param beta             ADI's beta in the main table
 * @param betaSweep        ADI's betas of the second table (empty: no sweep)
 * @param trainSteps       optimisation steps per identifier run
 * @param learningRate     identifier methods' learning rate (Custom Diffusion keeps its own defaults)
 * @param sampleSteps      sampler steps per image
 * @param guidance         classifier-free guidance scale
 * @param seed             seed of exemplars, training and sampling noise
 */
public record MiniBenchConfig(List<Action> actions, int exemplars, List<Subject> exemplarSubjects,
                              List<Subject> testSubjects, int seeds, List<String> methods, double beta,
                              List<Double> betaSweep, int trainSteps, double learningRate, int sampleSteps,
                              double guidance, long seed) {
    public static final String TEXT_ONLY = "text-only";

    /** Every method of the table, in the paper's order. */
    public static final List<String> ALL_METHODS = List.of(TEXT_ONLY, "ti", "pplus", "custom-diffusion", "adi",
            "adi-context-only", "adi-action-only", "adi-union");

    public MiniBenchConfig {
        actions = List.copyOf(actions);
        exemplarSubjects = List.copyOf(exemplarSubjects);
        testSubjects = List.copyOf(testSubjects);
        methods = List.copyOf(methods);
        betaSweep = List.copyOf(betaSweep);
        if (actions.isEmpty() || methods.isEmpty() || testSubjects.isEmpty() || exemplarSubjects.isEmpty()) {
            throw new IllegalArgumentException("actions, methods, test and exemplar subjects must not be empty");
        }
        if (exemplars < 2) throw new IllegalArgumentException("exemplars must be >= 2 (ADI pairs each with another), got " + exemplars);
        if (seeds < 1 || trainSteps < 1 || sampleSteps < 1) {
            throw new IllegalArgumentException("seeds, train steps and sample steps must be >= 1");
        }
        for (String m : methods) {
            if (!ALL_METHODS.contains(m)) throw new IllegalArgumentException("unknown method '" + m + "', expected one of " + ALL_METHODS);
        }
        for (double b : betaSweep) {
            if (!(b >= 0 && b <= 1)) throw new IllegalArgumentException("beta must be in [0, 1], got " + b);
        }
    }

    /**
     * The bench of the issue: both held-out actions, 10 exemplars of the four human-like subjects (man, woman, child,
     * robot), all eight subjects tested (the four animals never appear in an exemplar), 4 seeds each, every method,
     * a beta sweep (its run at beta 0.5 is the main table's). 200 steps per run: ADI's three samples per step make a
     * run ~1.5 minutes on 2 cores, the whole bench ~25 minutes.
     */
    public static MiniBenchConfig standard() {
        return new MiniBenchConfig(List.copyOf(CaptionPolicy.DEFAULT.heldOut()), 10,
                List.of(Subject.MAN, Subject.WOMAN, Subject.CHILD, Subject.ROBOT), List.of(Subject.values()), 4,
                ALL_METHODS, 0.5, List.of(0.25, 0.5, 0.75), 200, 5e-3, 20, 3.0, 1);
    }

    /** A reduced bench for CI: the same code path end to end, few steps and images. */
    public static MiniBenchConfig quick() {
        return new MiniBenchConfig(List.of(Action.HANDSTAND), 4, List.of(Subject.MAN, Subject.ROBOT),
                List.of(Subject.MAN, Subject.CAT), 1, ALL_METHODS, 0.5, List.of(0.3), 2, 5e-3, 2, 3.0, 1);
    }

    public MiniBenchConfig withSteps(int trainStepsPerRun) {
        return new MiniBenchConfig(actions, exemplars, exemplarSubjects, testSubjects, seeds, methods, beta, betaSweep,
                trainStepsPerRun, learningRate, sampleSteps, guidance, seed);
    }

    public MiniBenchConfig withSeeds(int n) {
        return new MiniBenchConfig(actions, exemplars, exemplarSubjects, testSubjects, n, methods, beta, betaSweep,
                trainSteps, learningRate, sampleSteps, guidance, seed);
    }

    public MiniBenchConfig withMethods(List<String> m, List<Double> sweep) {
        return new MiniBenchConfig(actions, exemplars, exemplarSubjects, testSubjects, seeds, m, beta, sweep,
                trainSteps, learningRate, sampleSteps, guidance, seed);
    }
}

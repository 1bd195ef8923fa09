package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Supplies the network's parameters to a graph under construction, by reference name and shape.
 * Implementations decide whether a parameter is frozen (a constant, no gradient ever computed), trainable
 * (a variable) or only declared (a placeholder, for building full-size graphs without weights).
 */
public interface ParameterSource {
    /**
     * Returns the graph variable of a parameter. Problems (missing, wrong shape) are collected, not thrown,
     * so that {@link #finish()} can report every offending key at once.
     */
    SDVariable get(SameDiff sd, ParamSpec spec);

    /** Throws {@link WeightsException} listing every problem seen so far (missing, extra, wrongly shaped). */
    void finish();
}

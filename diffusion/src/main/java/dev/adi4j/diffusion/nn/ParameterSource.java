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

    /** Whether {@code name} is a trainable parameter (a SameDiff variable in every graph). */
    default boolean isTrainable(String name) {
        return false;
    }

    /**
     * The array graphs use for a parameter, in graph layout ({@link ParamSpec#layout()}), shared by every graph
     * built from this source: writing it in place changes what they compute.
     *
     * @throws UnsupportedOperationException for sources without arrays (shape-only, random)
     */
    default org.nd4j.linalg.api.ndarray.INDArray array(ParamSpec spec) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not hold parameter arrays");
    }

    /** Throws {@link WeightsException} listing every problem seen so far (missing, extra, wrongly shaped). */
    void finish();
}

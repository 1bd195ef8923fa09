package dev.adi4j.adi.baseline;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimizer step on one named parameter, in place. {@code dev.adi4j.adi.optim.AdamW} has this signature, so
 * {@code adamW::step} is a ParamUpdater; an implementation keeps its per-parameter state (moments) by name.
 */
@FunctionalInterface
public interface ParamUpdater {
    /**
     * @param name  the parameter's name (a diffusers weight name, or the modifier token)
     * @param param the live parameter, updated in place
     * @param grad  d loss / d param, same shape and layout as {@code param}
     * @param lr    the learning rate of this step
     */
    void step(String name, INDArray param, INDArray grad, double lr);
}

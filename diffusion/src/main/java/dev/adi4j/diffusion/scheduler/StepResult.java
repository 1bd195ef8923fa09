package dev.adi4j.diffusion.scheduler;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One sampler step: the sample at the previous (less noisy) timestep and, where the sampler computes it, the
 * predicted clean sample x̂₀ (null otherwise, e.g. PNDM, DPM-Solver).
 */
public record StepResult(INDArray prevSample, INDArray predOriginalSample) {
}

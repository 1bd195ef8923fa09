package dev.adi4j.diffusion.pipeline;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Observes a sampling loop: progress for a terminal, or every intermediate for a golden comparison. */
public interface StepListener {
    /**
     * @param step        0-based step index
     * @param total       number of steps
     * @param timestep    the timestep just denoised
     * @param unetOutput  raw UNet output of this step ([2B,...] with the unconditional rows first under guidance)
     * @param latents     the latents after the sampler step
     */
    void onStep(int step, int total, float timestep, INDArray unetOutput, INDArray latents);

    StepListener NONE = (step, total, t, out, latents) -> { };
}

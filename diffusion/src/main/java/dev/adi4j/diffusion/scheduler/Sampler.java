package dev.adi4j.diffusion.scheduler;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A diffusion sampler (diffusers "scheduler" at inference time). Use: {@link #setTimesteps(int)} (which also
 * resets all per-rollout state), start from noise · {@link #initNoiseSigma()}, then for each t in
 * {@link #timesteps()}: {@code in = scaleModelInput(x, t)}, run the model on {@code in} and t,
 * {@code x = step(out, t, x, rng).prevSample()}. Timesteps must be visited in order; multistep samplers keep
 * history between steps.
 */
public interface Sampler {
    /** Chooses the inference timesteps and resets the rollout state. */
    void setTimesteps(int numInferenceSteps);

    /** The timesteps to visit, in order (float32 values; integral for all but Euler's linspace). */
    float[] timesteps();

    /** The standard deviation of the initial noise. */
    double initNoiseSigma();

    /** The model input for timestep t (identity for DDIM/DDPM/PNDM/DPM, x/sqrt(σ²+1) for Euler). */
    INDArray scaleModelInput(INDArray sample, float t);

    /**
     * One denoising step from t.
     *
     * @param rng noise for stochastic samplers; may be null for deterministic ones (a stochastic sampler
     *            throws a {@link SchedulerException} when it needs noise and gets null)
     */
    StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng);

    /** {@link #step(INDArray, float, INDArray, NoiseSource)} without a noise source. */
    default StepResult step(INDArray modelOutput, float t, INDArray sample) {
        return step(modelOutput, t, sample, null);
    }

    /** Noise levels σ (n + 1 values, last the final σ) for σ-parameterised samplers; null for the others. */
    default float[] sigmas() {
        return null;
    }
}

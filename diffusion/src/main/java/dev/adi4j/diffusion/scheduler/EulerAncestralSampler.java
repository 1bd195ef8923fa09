package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler ancestral sampler (k-diffusion {@code sample_euler_ancestral}, diffusers'
 * {@code EulerAncestralDiscreteScheduler}): an Euler step down to σ_down, then fresh noise of scale σ_up, with
 * σ_up² = σ_next²(σ² − σ_next²)/σ² and σ_down² = σ_next² − σ_up². Needs a {@link NoiseSource} on every step (one
 * draw per step, like diffusers, even on the last step where σ_up = 0).
 */
public final class EulerAncestralSampler extends EulerSampler {
    public EulerAncestralSampler(SchedulerConfig cfg) {
        super(cfg, "Euler ancestral", false);
        ConfigValues.unsupportedIf(prediction == PredictionType.SAMPLE, "Euler ancestral", "prediction_type",
                "sample", "epsilon, v_prediction");
    }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        LatentMath.requireSameShape(modelOutput, sample);
        int i = stepIndex(t);
        double sigma = sigmas[i];
        double sigmaTo = sigmas[i + 1];
        double sigmaUp = Math.sqrt(sigmaTo * sigmaTo * (sigma * sigma - sigmaTo * sigmaTo) / (sigma * sigma));
        double sigmaDown = Math.sqrt(Math.max(0, sigmaTo * sigmaTo - sigmaUp * sigmaUp));
        INDArray x0 = predictX0(modelOutput, sample, sigma);
        INDArray derivative = sample.sub(x0).divi(sigma);
        INDArray prev = sample.add(derivative.muli(sigmaDown - sigma));
        INDArray z = LatentMath.requireNoise(rng, "Euler ancestral").next(sample.shape());
        prev.addi(z.mul(sigmaUp));
        advance();
        return new StepResult(prev, x0);
    }
}

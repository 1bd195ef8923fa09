package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDPM ancestral sampling (Ho et al. 2020), diffusers' {@code DDPMScheduler.step}: posterior mean plus
 * √variance·z for t &gt; 0 with z from the {@link NoiseSource}. variance_type fixed_small (default),
 * fixed_small_log (same numbers) or fixed_large. Defaults as diffusers: leading spacing, clip_sample true.
 */
public final class DdpmSampler extends AlphaSampler {
    private final boolean clipSample;
    private final double clipRange;
    private final boolean largeVariance;

    public DdpmSampler(SchedulerConfig cfg) {
        super(cfg, "DDPM");
        this.clipSample = ConfigValues.or(cfg.clipSample(), true);
        this.clipRange = ConfigValues.or(cfg.clipSampleRange(), 1.0);
        String vt = ConfigValues.or(cfg.varianceType(), "fixed_small");
        ConfigValues.unsupportedIf(!vt.equals("fixed_small") && !vt.equals("fixed_small_log")
                && !vt.equals("fixed_large"), "DDPM", "variance_type", vt, "fixed_small, fixed_small_log, fixed_large");
        this.largeVariance = vt.equals("fixed_large");
    }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        int ti = beginStep(modelOutput, t, sample);
        int prev = ti - stepRatio();
        double alphaT = schedule.alphaCumprod(ti);
        double alphaPrev = prev >= 0 ? schedule.alphaCumprod(prev) : 1.0;
        double betaT = 1 - alphaT;
        double betaPrev = 1 - alphaPrev;
        double currentAlpha = alphaT / alphaPrev;
        double currentBeta = 1 - currentAlpha;
        INDArray x0 = clip(predictX0AndEps(modelOutput, sample, alphaT)[0], clipSample, clipRange);
        INDArray prevSample = LatentMath.lin(Math.sqrt(alphaPrev) * currentBeta / betaT, x0,
                Math.sqrt(currentAlpha) * betaPrev / betaT, sample);
        if (ti > 0) {
            double variance = largeVariance ? currentBeta : Math.max(betaPrev / betaT * currentBeta, 1e-20);
            INDArray z = LatentMath.requireNoise(rng, "DDPM").next(sample.shape());
            prevSample.addi(z.mul(Math.sqrt(variance)));
        }
        return new StepResult(prevSample, x0);
    }
}

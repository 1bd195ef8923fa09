package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM (Song et al. 2020), diffusers' {@code DDIMScheduler}: deterministic for eta = 0; for eta &gt; 0 each step
 * adds eta·σ_t·z with z from the {@link NoiseSource} passed to {@code step} (which cannot reproduce torch's RNG).
 * Defaults as diffusers: timestep_spacing leading, clip_sample true, set_alpha_to_one true.
 */
public final class DdimSampler extends AlphaSampler {
    private final double eta;
    private final boolean clipSample;
    private final double clipRange;
    private final float finalAlphaCumprod;

    /** A deterministic (eta = 0) DDIM sampler. */
    public DdimSampler(SchedulerConfig cfg) {
        this(cfg, 0.0);
    }

    /** DDIM with the given eta (0 = deterministic DDIM, 1 = DDPM-like variance). */
    public DdimSampler(SchedulerConfig cfg, double eta) {
        super(cfg, "DDIM");
        if (!(eta >= 0)) throw new SchedulerException("DDIM: eta must be >= 0, got " + eta);
        this.eta = eta;
        this.clipSample = ConfigValues.or(cfg.clipSample(), true);
        this.clipRange = ConfigValues.or(cfg.clipSampleRange(), 1.0);
        this.finalAlphaCumprod = ConfigValues.or(cfg.setAlphaToOne(), true) ? 1.0f : schedule.alphaCumprod(0);
    }

    public double eta() { return eta; }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        int ti = beginStep(modelOutput, t, sample);
        int prev = ti - stepRatio();
        double alphaT = schedule.alphaCumprod(ti);
        double alphaPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaCumprod;
        INDArray[] x0Eps = predictX0AndEps(modelOutput, sample, alphaT);
        INDArray x0 = clip(x0Eps[0], clipSample, clipRange);
        double variance = (1 - alphaPrev) / (1 - alphaT) * (1 - alphaT / alphaPrev);
        double std = eta * Math.sqrt(variance);
        INDArray prevSample = LatentMath.lin(Math.sqrt(alphaPrev), x0,
                Math.sqrt(1 - alphaPrev - std * std), x0Eps[1]);
        if (eta > 0) {
            INDArray z = LatentMath.requireNoise(rng, "DDIM with eta " + eta).next(sample.shape());
            prevSample.addi(z.mul(std));
        }
        return new StepResult(prevSample, x0);
    }
}

package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler sampler of Karras et al. 2022 (Algorithm 2 without churn), diffusers' {@code EulerDiscreteScheduler} with
 * s_churn = 0: x ← x + (x − x̂₀)/σ · (σ_next − σ). Default spacing linspace (fractional timesteps); optional
 * Karras sigmas ({@code use_karras_sigmas}, {@code sigma_min}/{@code sigma_max}).
 */
public class EulerSampler extends SigmaSampler {
    private final boolean karras;
    private final Double sigmaMin;
    private final Double sigmaMax;

    public EulerSampler(SchedulerConfig cfg) {
        this(cfg, "Euler", true);
    }

    EulerSampler(SchedulerConfig cfg, String name, boolean karrasAllowed) {
        super(cfg);
        String interp = ConfigValues.or(cfg.interpolationType(), "linear");
        ConfigValues.unsupportedIf(!interp.equals("linear"), name, "interpolation_type", interp, "linear");
        String tsType = ConfigValues.or(cfg.timestepType(), "discrete");
        ConfigValues.unsupportedIf(!tsType.equals("discrete"), name, "timestep_type", tsType, "discrete");
        this.karras = Boolean.TRUE.equals(cfg.useKarrasSigmas());
        ConfigValues.unsupportedIf(karras && !karrasAllowed, name, "use_karras_sigmas", true, "false");
        this.sigmaMin = cfg.sigmaMin();
        this.sigmaMax = cfg.sigmaMax();
    }

    @Override
    public void setTimesteps(int n) {
        double[] ts = spacing.continuousDescending(schedule.numTrainTimesteps(), n, stepsOffset);
        float[] tf = AlphaSampler.toFloat(ts);
        double[] tsf = new double[n];
        for (int i = 0; i < n; i++) tsf[i] = tf[i];
        double[] s = interpolateSigmas(tsf);
        if (karras) {
            s = KarrasSigmas.sigmas(sigmaMin != null ? sigmaMin : s[n - 1], sigmaMax != null ? sigmaMax : s[0], n);
            float[] logSigmas = KarrasSigmas.logOf(trainSigmas);
            for (int i = 0; i < n; i++) tf[i] = (float) KarrasSigmas.sigmaToT(s[i], logSigmas);
        }
        install(tf, s, 0.0);
    }

    @Override
    public double initNoiseSigma() {
        requireTimesteps();
        float max = 0;
        for (float s : sigmas) max = Math.max(max, s);
        if (spacing == TimestepSpacing.LEADING) return (float) Math.sqrt(max * max + 1f);
        return max;
    }

    @Override
    public INDArray scaleModelInput(INDArray sample, float t) {
        return scaleBySigma(sample, t);
    }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        LatentMath.requireSameShape(modelOutput, sample);
        int i = stepIndex(t);
        double sigma = sigmas[i];
        INDArray x0 = predictX0(modelOutput, sample, sigma);
        INDArray derivative = sample.sub(x0).divi(sigma);
        INDArray prev = sample.add(derivative.muli(sigmas[i + 1] - sigma));
        advance();
        return new StepResult(prev, x0);
    }
}

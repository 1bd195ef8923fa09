package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared part of the samplers that work on integer timesteps and ᾱ_t directly (DDIM, DDPM, PNDM): the schedule,
 * the spacing, the integer-timestep checks and the conversion of a model output to (x̂₀, ε̂).
 */
abstract class AlphaSampler implements Sampler {
    protected final NoiseSchedule schedule;
    protected final PredictionType prediction;
    protected final TimestepSpacing spacing;
    protected final int stepsOffset;
    protected int numInferenceSteps;
    protected float[] timesteps;

    AlphaSampler(SchedulerConfig cfg, String name) {
        this.schedule = NoiseSchedule.of(cfg);
        this.prediction = PredictionType.parse(cfg.predictionType());
        this.spacing = TimestepSpacing.parse(cfg.timestepSpacing(), TimestepSpacing.LEADING);
        this.stepsOffset = cfg.stepsOffset();
        ConfigValues.unsupportedIf(Boolean.TRUE.equals(cfg.thresholding()), name, "thresholding", true, "false");
    }

    @Override
    public float[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    @Override
    public double initNoiseSigma() { return 1.0; }

    @Override
    public INDArray scaleModelInput(INDArray sample, float t) { return sample; }

    /** Discrete timesteps of the configured spacing, largest first (DDIM, DDPM). */
    @Override
    public void setTimesteps(int n) {
        numInferenceSteps = n;
        timesteps = toFloat(spacing.discreteDescending(schedule.numTrainTimesteps(), n, stepsOffset));
    }

    /** The checks every step starts with; returns the integer training timestep of {@code t}. */
    protected int beginStep(INDArray modelOutput, float t, INDArray sample) {
        requireTimesteps();
        LatentMath.requireSameShape(modelOutput, sample);
        return index(t);
    }

    protected void requireTimesteps() {
        if (timesteps == null) throw new SchedulerException(getClass().getSimpleName()
                + ": setTimesteps(n) must be called before sampling");
    }

    /** The gap between consecutive inference timesteps, N div n (diffusers uses it even for linspace). */
    protected int stepRatio() {
        return schedule.numTrainTimesteps() / numInferenceSteps;
    }

    /** t as a training-step index; t must be integral and inside the schedule. */
    protected int index(float t) {
        int i = (int) t;
        if (i != t) throw new SchedulerException(getClass().getSimpleName() + ": timestep " + t
                + " is not an integer");
        schedule.alphaCumprod(i);
        return i;
    }

    protected static float[] toFloat(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return f;
    }

    /** {x̂₀, ε̂} from the model output at a timestep with cumulative alpha {@code alphaProd}. */
    protected INDArray[] predictX0AndEps(INDArray modelOutput, INDArray sample, double alphaProd) {
        double sa = Math.sqrt(alphaProd);
        double sb = Math.sqrt(1 - alphaProd);
        return switch (prediction) {
            case EPSILON -> new INDArray[] {LatentMath.lin(1 / sa, sample, -sb / sa, modelOutput), modelOutput};
            case SAMPLE -> new INDArray[] {modelOutput, LatentMath.lin(1 / sb, sample, -sa / sb, modelOutput)};
            case V_PREDICTION -> new INDArray[] {LatentMath.lin(sa, sample, -sb, modelOutput),
                    LatentMath.lin(sa, modelOutput, sb, sample)};
        };
    }

    /** Clamps x̂₀ to ±range when {@code clip_sample} is on. */
    protected static INDArray clip(INDArray x0, boolean clip, double range) {
        if (!clip) return x0;
        return org.nd4j.linalg.ops.transforms.Transforms.max(
                org.nd4j.linalg.ops.transforms.Transforms.min(x0, range, true), -range, false);
    }
}

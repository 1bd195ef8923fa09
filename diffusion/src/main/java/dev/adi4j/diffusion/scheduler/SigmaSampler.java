package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared part of the samplers parameterised by the noise level σ (Euler, Euler ancestral, DPM-Solver): the σ
 * table (n + 1 float32 values), the timestep → step-index lookup and the in-order step counter.
 */
abstract class SigmaSampler implements Sampler {
    protected final NoiseSchedule schedule;
    protected final float[] trainSigmas;
    protected final PredictionType prediction;
    protected final TimestepSpacing spacing;
    protected final int stepsOffset;
    protected float[] timesteps;
    protected float[] sigmas;
    private Integer stepIndex;

    SigmaSampler(SchedulerConfig cfg) {
        this.schedule = NoiseSchedule.of(cfg);
        this.trainSigmas = schedule.trainSigmas();
        this.prediction = PredictionType.parse(cfg.predictionType());
        this.spacing = TimestepSpacing.parse(cfg.timestepSpacing(), TimestepSpacing.LINSPACE);
        this.stepsOffset = cfg.stepsOffset();
    }

    /** Installs a new schedule and resets the rollout state. */
    protected void install(float[] timesteps, double[] sigmasWithoutLast, double lastSigma) {
        float[] s = new float[sigmasWithoutLast.length + 1];
        for (int i = 0; i < sigmasWithoutLast.length; i++) s[i] = (float) sigmasWithoutLast[i];
        s[s.length - 1] = (float) lastSigma;
        this.timesteps = timesteps;
        this.sigmas = s;
        this.stepIndex = null;
        resetHistory();
    }

    /** Clears multistep history; called by setTimesteps. */
    protected void resetHistory() {
    }

    @Override
    public float[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    @Override
    public float[] sigmas() {
        requireTimesteps();
        return sigmas.clone();
    }

    protected void requireTimesteps() {
        if (timesteps == null) throw new SchedulerException(getClass().getSimpleName()
                + ": setTimesteps(n) must be called before sampling");
    }

    /**
     * The step index for t: on the first call of a rollout it is looked up (diffusers' index_for_timestep:
     * the second match if t occurs twice); afterwards t must be the next timestep in order.
     */
    protected int stepIndex(float t) {
        requireTimesteps();
        if (stepIndex == null) {
            stepIndex = lookup(t);
        } else if (stepIndex >= timesteps.length || timesteps[stepIndex] != t) {
            throw new SchedulerException(getClass().getSimpleName() + ": expected timestep "
                    + (stepIndex < timesteps.length ? String.valueOf(timesteps[stepIndex]) : "none (rollout done)")
                    + " next, got " + t + "; call setTimesteps(n) to start a new rollout");
        }
        return stepIndex;
    }

    /** Advances to the next step (end of step()). */
    protected void advance() {
        stepIndex++;
    }

    /** Index of t among the timesteps; the missing case is sampler-specific. */
    protected int lookup(float t) {
        int first = -1;
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                if (first >= 0) return i;
                first = i;
            }
        }
        if (first < 0) throw new SchedulerException(getClass().getSimpleName() + ": timestep " + t
                + " is not one of this rollout's timesteps");
        return first;
    }

    /** σ values interpolated linearly at (possibly fractional) timesteps over the training sigmas (np.interp). */
    protected double[] interpolateSigmas(double[] ts) {
        double[] s = new double[ts.length];
        int last = trainSigmas.length - 1;
        for (int i = 0; i < ts.length; i++) {
            double t = ts[i];
            if (t <= 0) {
                s[i] = trainSigmas[0];
            } else if (t >= last) {
                s[i] = trainSigmas[last];
            } else {
                int lo = (int) Math.floor(t);
                double w = t - lo;
                s[i] = lo == t ? trainSigmas[lo] : trainSigmas[lo] + w * (trainSigmas[lo + 1] - trainSigmas[lo]);
            }
        }
        return s;
    }

    /** x̂₀ for a σ-parameterised (variance-exploding) sample, as Euler computes it. */
    protected INDArray predictX0(INDArray modelOutput, INDArray sample, double sigma) {
        return switch (prediction) {
            case EPSILON -> LatentMath.lin(1, sample, -sigma, modelOutput);
            case V_PREDICTION -> LatentMath.lin(-sigma / Math.sqrt(sigma * sigma + 1), modelOutput,
                    1 / (sigma * sigma + 1), sample);
            case SAMPLE -> modelOutput;
        };
    }

    /** x / sqrt(σ² + 1) for the σ of the current step. */
    protected INDArray scaleBySigma(INDArray sample, float t) {
        double sigma = sigmas[stepIndex(t)];
        return sample.div(Math.sqrt(sigma * sigma + 1));
    }
}

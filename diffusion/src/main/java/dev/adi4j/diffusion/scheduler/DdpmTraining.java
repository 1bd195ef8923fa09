package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Training-side diffusion math of diffusers' {@code DDPMScheduler}: the forward process
 * x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε and the regression targets (ε, or v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀ for v-prediction).
 * Arrays are batches: row b uses timestep {@code timesteps[b]}.
 */
public final class DdpmTraining {
    private final NoiseSchedule schedule;
    private final PredictionType prediction;

    public DdpmTraining(NoiseSchedule schedule, PredictionType prediction) {
        this.schedule = schedule;
        this.prediction = prediction;
    }

    /** From a scheduler config (its beta schedule and prediction_type). */
    public static DdpmTraining of(SchedulerConfig cfg) {
        return new DdpmTraining(NoiseSchedule.of(cfg), PredictionType.parse(cfg.predictionType()));
    }

    public NoiseSchedule schedule() { return schedule; }

    public PredictionType predictionType() { return prediction; }

    /** The noised batch √ᾱ_t·x₀ + √(1−ᾱ_t)·ε. */
    public INDArray addNoise(INDArray x0, INDArray noise, int[] timesteps) {
        check(x0, noise, timesteps, "addNoise");
        return combine(x0, noise, true, timesteps);
    }

    /** The v-prediction target √ᾱ_t·ε − √(1−ᾱ_t)·x₀. */
    public INDArray velocity(INDArray x0, INDArray noise, int[] timesteps) {
        check(x0, noise, timesteps, "velocity");
        return combine(noise, x0, false, timesteps);
    }

    /** The ε-prediction target: the noise itself (a copy). */
    public INDArray epsilonTarget(INDArray noise) {
        return noise.dup();
    }

    /** The regression target of this scheduler's prediction type. */
    public INDArray target(INDArray x0, INDArray noise, int[] timesteps) {
        return targetFor(prediction, x0, noise, timesteps);
    }

    /** The regression target for {@code type}: ε, v, or x₀ itself for "sample". */
    public INDArray targetFor(PredictionType type, INDArray x0, INDArray noise, int[] timesteps) {
        check(x0, noise, timesteps, "targetFor");
        return switch (type) {
            case EPSILON -> epsilonTarget(noise);
            case V_PREDICTION -> velocity(x0, noise, timesteps);
            case SAMPLE -> x0.dup();
        };
    }

    /**
     * a·first ± b·second per row, with a = √ᾱ_t and b = √(1−ᾱ_t) for that row; {@code plusSecond}
     * chooses the sign of the second term. Coefficients are broadcast as a [B, 1, 1, ...] column.
     */
    private INDArray combine(INDArray first, INDArray second, boolean plusSecond, int[] ts) {
        int b = ts.length;
        float[] a = new float[b];
        float[] s = new float[b];
        for (int i = 0; i < b; i++) {
            float ac = schedule.alphaCumprod(ts[i]);
            // float32 like diffusers: alphas_cumprod[t] ** 0.5 and (1 - alphas_cumprod[t]) ** 0.5
            a[i] = (float) Math.sqrt(ac);
            s[i] = (float) Math.sqrt(1.0f - ac);
            if (!plusSecond) s[i] = -s[i];
        }
        long[] colShape = new long[first.rank()];
        Arrays.fill(colShape, 1);
        colShape[0] = b;
        INDArray ca = Nd4j.createFromArray(a).reshape(colShape).castTo(first.dataType());
        INDArray cs = Nd4j.createFromArray(s).reshape(colShape).castTo(first.dataType());
        return first.mul(ca.broadcast(first.shape())).addi(second.mul(cs.broadcast(second.shape())));
    }

    private static void check(INDArray x0, INDArray noise, int[] timesteps, String op) {
        if (!Arrays.equals(x0.shape(), noise.shape())) {
            throw new SchedulerException(op + ": sample shape " + Arrays.toString(x0.shape())
                    + " differs from noise shape " + Arrays.toString(noise.shape()));
        }
        if (x0.rank() < 1 || x0.size(0) != timesteps.length) {
            throw new SchedulerException(op + ": batch of " + (x0.rank() < 1 ? 0 : x0.size(0))
                    + " rows needs one timestep per row, got " + timesteps.length);
        }
    }
}

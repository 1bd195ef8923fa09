package dev.adi4j.diffusion.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/** Configs and tensors shared by the sampler unit tests. */
final class SamplerTestSupport {
    private SamplerTestSupport() {
    }

    /** The stabilityai/stable-diffusion-2-1 scheduler_config.json values. */
    static SchedulerConfig sd21() {
        try {
            return Configs.mapper().readValue("""
                    {"_class_name": "DDIMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear",
                     "beta_start": 0.00085, "clip_sample": false, "num_train_timesteps": 1000,
                     "prediction_type": "v_prediction", "set_alpha_to_one": false, "skip_prk_steps": true,
                     "steps_offset": 1, "trained_betas": null}""", SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static SchedulerConfig sd21(Map<String, ?> overrides) {
        return sd21().withOverrides(overrides);
    }

    /** A deterministic pseudo-random latent of the given shape. */
    static INDArray latent(long seed, long... shape) {
        return NoiseSource.gaussian(seed).next(shape);
    }

    static float[] flat(INDArray x) {
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        float[] x = flat(a);
        float[] y = flat(b);
        if (x.length != y.length) throw new AssertionError("length " + x.length + " vs " + y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return m;
    }

    static INDArray scalarLike(INDArray x, double v) {
        return Nd4j.zerosLike(x).addi(v);
    }
}

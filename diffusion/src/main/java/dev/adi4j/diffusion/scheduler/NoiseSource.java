package dev.adi4j.diffusion.scheduler;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Standard-normal noise for stochastic samplers (DDIM with eta &gt; 0, Euler ancestral, DDPM). Seeded sources are
 * reproducible run to run in adi4j, but cannot reproduce torch's generator: a seeded adi4j run gives other noise
 * than the same seed in diffusers.
 */
@FunctionalInterface
public interface NoiseSource {
    /** A float32 array of the given shape with independent N(0, 1) entries. */
    INDArray next(long[] shape);

    /** Gaussian noise from a {@link SplittableRandom} seeded with {@code seed} (deterministic for a seed). */
    static NoiseSource gaussian(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return shape -> {
            long count = 1;
            for (long d : shape) count = Math.multiplyExact(count, d);
            float[] v = new float[Math.toIntExact(count)];
            for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
            return Nd4j.createFromArray(v).reshape(shape);
        };
    }

    /** All zeros: turns a stochastic step into its deterministic mean (useful in tests). */
    static NoiseSource zeros() {
        return shape -> Nd4j.zeros(DataType.FLOAT, shape);
    }
}

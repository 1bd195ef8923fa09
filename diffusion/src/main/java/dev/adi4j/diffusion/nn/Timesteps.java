package dev.adi4j.diffusion.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * diffusers {@code Timesteps}: the sinusoidal embedding of (possibly fractional) timesteps,
 * freq_k = exp(-ln(10000) k / (half - freq_shift)), [sin | cos], or [cos | sin] with flip_sin_to_cos.
 */
public final class Timesteps {
    private final Ops ops;
    private final INDArray frequencies;
    private final boolean flipSinToCos;

    public Timesteps(Scope scope, int dim, boolean flipSinToCos, double freqShift) {
        if (dim % 2 != 0) throw new IllegalArgumentException("timestep embedding width must be even, got " + dim);
        this.ops = scope.ops();
        this.flipSinToCos = flipSinToCos;
        int half = dim / 2;
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            // float32 exponent as the reference computes it, so frequencies match bit for bit in most entries
            float exponent = (float) (-Math.log(10000.0)) * k / (float) (half - freqShift);
            f[k] = (float) Math.exp(exponent);
        }
        this.frequencies = Nd4j.createFromArray(f).reshape(1, half).castTo(DataType.FLOAT);
    }

    /** @param timesteps [B] float timesteps -> [B, dim] */
    public Tensor forward(Tensor timesteps) {
        Tensor args = ops.outer(timesteps, frequencies);
        Tensor sin = ops.sin(args);
        Tensor cos = ops.cos(args);
        return flipSinToCos ? ops.concat(1, cos, sin) : ops.concat(1, sin, cos);
    }
}

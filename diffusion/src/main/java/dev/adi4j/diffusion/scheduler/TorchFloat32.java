package dev.adi4j.diffusion.scheduler;

/**
 * Reproduces, bit for bit, the float32 results of the few PyTorch CPU kernels diffusers uses to build its noise
 * schedule, so that {@code alphas_cumprod} equals diffusers' values exactly rather than to ~1e-6.
 */
final class TorchFloat32 {
    /** PyTorch's CPU linspace writes 2 AVX2 vectors (8 floats each) per inner iteration, the rest one by one. */
    private static final int VECTOR = 8;

    private TorchFloat32() {
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=float32)} as computed by the torch 1.13 CPU kernel (AVX2
     * build): float step; the first half counts up from start, the second half down from end, each vector's first
     * lane with a fused multiply-add and the other lanes as base + k·step. Checked equal to diffusers' betas.
     */
    static float[] linspace(double start, double end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = (float) start;
            return out;
        }
        float s = (float) start;
        float e = (float) end;
        float step = (e - s) / (float) (steps - 1);
        int half = steps / 2;
        int i = 0;
        for (; i + 2 * VECTOR <= steps; i += 2 * VECTOR) {
            for (int v = i; v < i + 2 * VECTOR; v += VECTOR) {
                float base = lane0(s, e, step, half, steps, v);
                for (int k = 0; k < VECTOR; k++) out[v + k] = base + (float) k * step;
            }
        }
        for (; i < steps; i++) out[i] = lane0(s, e, step, half, steps, i);
        return out;
    }

    private static float lane0(float s, float e, float step, int half, int steps, int i) {
        return i < half ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
    }

    /** {@code torch.cumprod(x, 0)} on a float32 CPU tensor: the running product is kept in double (acc_type). */
    static float[] cumprod(float[] x) {
        float[] out = new float[x.length];
        double acc = 1.0;
        for (int i = 0; i < x.length; i++) {
            acc *= x[i];
            out[i] = (float) acc;
        }
        return out;
    }
}

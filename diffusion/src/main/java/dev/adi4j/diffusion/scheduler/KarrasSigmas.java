package dev.adi4j.diffusion.scheduler;

/**
 * Noise levels of Karras et al. 2022 (eq. 5, ρ = 7) and diffusers' inverse mapping σ → fractional timestep
 * (linear interpolation in log σ over the training sigmas).
 */
public final class KarrasSigmas {
    private static final double RHO = 7.0;

    private KarrasSigmas() {
    }

    /** n noise levels from sigmaMax down to sigmaMin, evenly spaced in σ^(1/ρ). */
    public static double[] sigmas(double sigmaMin, double sigmaMax, int n) {
        if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin)) {
            throw new SchedulerException("Karras sigmas need 0 < sigma_min <= sigma_max, got sigma_min=" + sigmaMin
                    + ", sigma_max=" + sigmaMax);
        }
        double[] ramp = TimestepSpacing.linspace(0, 1, n);
        double minInv = Math.pow(sigmaMin, 1 / RHO);
        double maxInv = Math.pow(sigmaMax, 1 / RHO);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), RHO);
        return s;
    }

    /**
     * The fractional training timestep whose σ is {@code sigma}, given the float32 log training sigmas
     * (ascending in t). Clamped to [0, N−1] like diffusers' {@code _sigma_to_t}.
     */
    public static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) if (logSigma - logSigmas[i] >= 0) low = i;
        low = Math.min(low, logSigmas.length - 2);
        double lo = logSigmas[low];
        double hi = logSigmas[low + 1];
        double w = Math.min(1, Math.max(0, (lo - logSigma) / (lo - hi)));
        return (1 - w) * low + w * (low + 1);
    }

    /** float32 log of the training sigmas (numpy's {@code np.log} on a float32 array). */
    static float[] logOf(float[] sigmas) {
        float[] l = new float[sigmas.length];
        for (int i = 0; i < l.length; i++) l[i] = (float) Math.log(sigmas[i]);
        return l;
    }
}

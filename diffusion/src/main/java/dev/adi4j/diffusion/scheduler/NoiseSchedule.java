package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;

import java.util.List;

/**
 * The training noise schedule of a diffusers scheduler: {@code betas} and {@code alphas_cumprod} (ᾱ_t), in float32
 * exactly as diffusers v0.27.2 holds them. Beta schedules: {@code linear}, {@code scaled_linear},
 * {@code squaredcos_cap_v2}, or explicit {@code trained_betas}.
 */
public final class NoiseSchedule {
    private final float[] betas;
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        this.betas = betas;
        float[] alphas = new float[betas.length];
        for (int i = 0; i < betas.length; i++) alphas[i] = 1.0f - betas[i];
        this.alphasCumprod = TorchFloat32.cumprod(alphas);
    }

    /** The schedule of {@code cfg} (num_train_timesteps, beta_start, beta_end, beta_schedule, trained_betas). */
    public static NoiseSchedule of(SchedulerConfig cfg) {
        if (Boolean.TRUE.equals(cfg.rescaleBetasZeroSnr())) {
            throw new SchedulerException("scheduler config: rescale_betas_zero_snr=true is not supported by adi4j"
                    + " (SD 2.1 uses false)");
        }
        int n = cfg.numTrainTimesteps();
        if (n < 1) throw new SchedulerException("scheduler config: num_train_timesteps must be >= 1, got " + n);
        List<Double> trained = cfg.trainedBetas();
        if (trained != null) {
            float[] b = new float[trained.size()];
            for (int i = 0; i < b.length; i++) b[i] = trained.get(i).floatValue();
            return new NoiseSchedule(b);
        }
        return new NoiseSchedule(switch (cfg.betaSchedule()) {
            case "linear" -> TorchFloat32.linspace(cfg.betaStart(), cfg.betaEnd(), n);
            case "scaled_linear" -> squared(TorchFloat32.linspace(Math.sqrt(cfg.betaStart()),
                    Math.sqrt(cfg.betaEnd()), n));
            case "squaredcos_cap_v2" -> cosineBetas(n);
            default -> throw new SchedulerException("scheduler config: beta_schedule '" + cfg.betaSchedule()
                    + "' is not supported; expected one of linear, scaled_linear, squaredcos_cap_v2");
        });
    }

    /** An explicit schedule (diffusers' {@code trained_betas}). */
    public static NoiseSchedule ofBetas(float[] betas) {
        return new NoiseSchedule(betas.clone());
    }

    private static float[] squared(float[] x) {
        for (int i = 0; i < x.length; i++) x[i] = x[i] * x[i];
        return x;
    }

    /** Glide's cosine schedule ({@code betas_for_alpha_bar}, cosine, max_beta 0.999), computed in double. */
    private static float[] cosineBetas(int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return b;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    public int numTrainTimesteps() { return betas.length; }

    /** A copy of the betas. */
    public float[] betas() { return betas.clone(); }

    /** A copy of ᾱ_t for t = 0 … num_train_timesteps−1. */
    public float[] alphasCumprod() { return alphasCumprod.clone(); }

    /** ᾱ_t; throws naming the valid range when t is outside it. */
    public float alphaCumprod(int t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new SchedulerException("timestep " + t + " is outside the training schedule [0, "
                    + (alphasCumprod.length - 1) + "]");
        }
        return alphasCumprod[t];
    }

    /**
     * The Karras-style noise levels σ_t = sqrt((1 − ᾱ_t)/ᾱ_t), float32 as diffusers computes them
     * ({@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5} on float32 tensors), ascending in t.
     */
    public float[] trainSigmas() {
        float[] s = new float[alphasCumprod.length];
        for (int i = 0; i < s.length; i++) {
            float a = alphasCumprod[i];
            s[i] = (float) Math.sqrt((1.0f - a) / a);
        }
        return s;
    }
}

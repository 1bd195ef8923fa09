package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DPM-Solver++ multistep (Lu et al. 2022), diffusers' {@code DPMSolverMultistepScheduler} with
 * algorithm_type dpmsolver++: the model output is turned into x̂₀ and integrated in λ = log(α/σ) with a
 * first-, second- (midpoint or heun) or third-order multistep update. "2M" = solver_order 2. Supports
 * lower_order_final, euler_at_final, final_sigmas_type zero/sigma_min, Karras sigmas, lambda_min_clipped.
 */
public final class DpmSolverMultistepSampler extends SigmaSampler {
    private final int order;
    private final boolean midpoint;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean finalSigmaZero;
    private final boolean karras;
    private final double lambdaMinClipped;
    private final INDArray[] modelOutputs;
    private int lowerOrderNums;

    public DpmSolverMultistepSampler(SchedulerConfig cfg) {
        super(cfg);
        String name = "DPM-Solver multistep";
        String algorithm = ConfigValues.or(cfg.algorithmType(), "dpmsolver++");
        ConfigValues.unsupportedIf(!algorithm.equals("dpmsolver++"), name, "algorithm_type", algorithm,
                "dpmsolver++");
        this.order = ConfigValues.or(cfg.solverOrder(), 2);
        ConfigValues.unsupportedIf(order < 1 || order > 3, name, "solver_order", order, "1, 2, 3");
        String solver = ConfigValues.or(cfg.solverType(), "midpoint");
        ConfigValues.unsupportedIf(!solver.equals("midpoint") && !solver.equals("heun"), name, "solver_type",
                solver, "midpoint, heun");
        this.midpoint = solver.equals("midpoint");
        this.lowerOrderFinal = ConfigValues.or(cfg.lowerOrderFinal(), true);
        this.eulerAtFinal = ConfigValues.or(cfg.eulerAtFinal(), false);
        String finalSigmas = ConfigValues.or(cfg.finalSigmasType(), "zero");
        ConfigValues.unsupportedIf(!finalSigmas.equals("zero") && !finalSigmas.equals("sigma_min"), name,
                "final_sigmas_type", finalSigmas, "zero, sigma_min");
        this.finalSigmaZero = finalSigmas.equals("zero");
        this.karras = Boolean.TRUE.equals(cfg.useKarrasSigmas());
        ConfigValues.unsupportedIf(Boolean.TRUE.equals(cfg.useLuLambdas()), name, "use_lu_lambdas", true, "false");
        ConfigValues.unsupportedIf(Boolean.TRUE.equals(cfg.thresholding()), name, "thresholding", true, "false");
        String vt = cfg.varianceType();
        ConfigValues.unsupportedIf(vt != null && vt.startsWith("learned"), name, "variance_type", vt, "null");
        this.lambdaMinClipped = ConfigValues.or(cfg.lambdaMinClipped(), Double.NEGATIVE_INFINITY);
        this.modelOutputs = new INDArray[order];
    }

    @Override
    public void setTimesteps(int n) {
        int numTrain = schedule.numTrainTimesteps();
        TimestepSpacing.checkSteps(numTrain, n);
        int last = numTrain - clippedIndex();
        double[] ts = switch (spacing) {
            case LINSPACE -> {
                double[] l = TimestepSpacing.reverse(TimestepSpacing.linspace(0, last - 1, n + 1));
                double[] t = new double[n];
                for (int i = 0; i < n; i++) t[i] = Math.rint(l[i]);
                yield t;
            }
            case LEADING -> {
                int ratio = last / (n + 1);
                double[] t = new double[n];
                for (int i = 0; i < n; i++) t[i] = (double) (n - i) * ratio + stepsOffset;
                yield t;
            }
            case TRAILING -> {
                double[] t = TimestepSpacing.arange(last, 0, -(double) numTrain / n);
                for (int i = 0; i < t.length; i++) t[i] = Math.rint(t[i]) - 1;
                yield t;
            }
        };
        double[] s;
        if (karras) {
            s = KarrasSigmas.sigmas(trainSigmas[0], trainSigmas[trainSigmas.length - 1], ts.length);
            float[] logSigmas = KarrasSigmas.logOf(trainSigmas);
            for (int i = 0; i < s.length; i++) ts[i] = Math.rint(KarrasSigmas.sigmaToT(s[i], logSigmas));
        } else {
            s = interpolateSigmas(ts);
        }
        float a0 = schedule.alphaCumprod(0);
        double lastSigma = finalSigmaZero ? 0.0 : Math.sqrt((1.0f - a0) / a0);
        install(AlphaSampler.toFloat(ts), s, lastSigma);
    }

    /** How many of the noisiest training steps lambda_min_clipped cuts off (searchsorted on ascending λ). */
    private int clippedIndex() {
        float[] ac = schedule.alphasCumprod();
        int count = 0;
        for (float a : ac) {
            double lambda = Math.log((float) Math.sqrt(a)) - Math.log((float) Math.sqrt(1.0f - a));
            if (lambda < lambdaMinClipped) count++;
        }
        return count;
    }

    @Override
    protected void resetHistory() {
        java.util.Arrays.fill(modelOutputs, null);
        lowerOrderNums = 0;
    }

    @Override
    protected int lookup(float t) {
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                for (int j = i + 1; j < timesteps.length; j++) if (timesteps[j] == t) return j;
                return i;
            }
        }
        return timesteps.length - 1; // diffusers' fallback for a timestep not in the schedule
    }

    @Override
    public double initNoiseSigma() { return 1.0; }

    @Override
    public INDArray scaleModelInput(INDArray sample, float t) { return sample; }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        LatentMath.requireSameShape(modelOutput, sample);
        int i = stepIndex(t);
        int n = timesteps.length;
        boolean finalLower = i == n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmaZero);
        boolean secondLower = i == n - 2 && lowerOrderFinal && n < 15;
        INDArray x0 = toX0(modelOutput, sample, sigmas[i]);
        System.arraycopy(modelOutputs, 1, modelOutputs, 0, order - 1);
        modelOutputs[order - 1] = x0;
        INDArray prev;
        if (order == 1 || lowerOrderNums < 1 || finalLower) {
            prev = firstOrder(i, sample);
        } else if (order == 2 || lowerOrderNums < 2 || secondLower) {
            prev = secondOrder(i, sample);
        } else {
            prev = thirdOrder(i, sample);
        }
        if (lowerOrderNums < order) lowerOrderNums++;
        advance();
        return new StepResult(prev, null);
    }

    private INDArray toX0(INDArray modelOutput, INDArray sample, double sigma) {
        double alpha = alphaOf(sigma);
        double sig = sigma * alpha;
        return switch (prediction) {
            case EPSILON -> LatentMath.lin(1 / alpha, sample, -sig / alpha, modelOutput);
            case V_PREDICTION -> LatentMath.lin(alpha, sample, -sig, modelOutput);
            case SAMPLE -> modelOutput;
        };
    }

    /** α_t of the variance-preserving process for a VE noise level σ: 1/sqrt(σ² + 1). */
    private static double alphaOf(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    /** λ = log α − log σ_VP (= −log σ); +∞ for σ = 0. */
    private static double lambdaOf(double sigma) {
        double alpha = alphaOf(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    private INDArray firstOrder(int i, INDArray sample) {
        double sT = sigmas[i + 1];
        double sS = sigmas[i];
        double alphaT = alphaOf(sT);
        double h = lambdaOf(sT) - lambdaOf(sS);
        return LatentMath.lin((sT * alphaT) / (sS * alphaOf(sS)), sample,
                -alphaT * (Math.exp(-h) - 1.0), modelOutputs[order - 1]);
    }

    private INDArray secondOrder(int i, INDArray sample) {
        double sT = sigmas[i + 1];
        double s0 = sigmas[i];
        double s1 = sigmas[i - 1];
        double alphaT = alphaOf(sT);
        double lambdaT = lambdaOf(sT);
        double lambda0 = lambdaOf(s0);
        double h = lambdaT - lambda0;
        double r0 = (lambda0 - lambdaOf(s1)) / h;
        INDArray m0 = modelOutputs[order - 1];
        INDArray d1 = m0.sub(modelOutputs[order - 2]).muli(1.0 / r0);
        double expm1 = Math.exp(-h) - 1.0;
        double d1Coeff = midpoint ? -0.5 * (alphaT * expm1) : alphaT * (expm1 / h + 1.0);
        return LatentMath.lin((sT * alphaT) / (s0 * alphaOf(s0)), sample, -alphaT * expm1, m0, d1Coeff, d1);
    }

    private INDArray thirdOrder(int i, INDArray sample) {
        double sT = sigmas[i + 1];
        double s0 = sigmas[i];
        double alphaT = alphaOf(sT);
        double lambdaT = lambdaOf(sT);
        double lambda0 = lambdaOf(s0);
        double lambda1 = lambdaOf(sigmas[i - 1]);
        double lambda2 = lambdaOf(sigmas[i - 2]);
        double h = lambdaT - lambda0;
        double r0 = (lambda0 - lambda1) / h;
        double r1 = (lambda1 - lambda2) / h;
        INDArray m0 = modelOutputs[2];
        INDArray m1 = modelOutputs[1];
        INDArray m2 = modelOutputs[0];
        INDArray d10 = m0.sub(m1).muli(1.0 / r0);
        INDArray d11 = m1.sub(m2).muli(1.0 / r1);
        INDArray d1 = LatentMath.lin(1 + r0 / (r0 + r1), d10, -r0 / (r0 + r1), d11);
        INDArray d2 = LatentMath.lin(1.0 / (r0 + r1), d10, -1.0 / (r0 + r1), d11);
        double expm1 = Math.exp(-h) - 1.0;
        return LatentMath.lin((sT * alphaT) / (s0 * alphaOf(s0)), sample, -alphaT * expm1, m0,
                alphaT * (expm1 / h + 1.0), d1)
                .addi(d2.mul(-alphaT * ((expm1 + h) / (h * h) - 0.5)));
    }
}

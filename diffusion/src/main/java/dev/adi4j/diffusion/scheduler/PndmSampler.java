package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * PNDM in its PLMS form (Liu et al. 2022; diffusers' {@code PNDMScheduler} with {@code skip_prk_steps=true}):
 * a linear multistep method on the ε-estimates of the last up to 4 steps. There are n + 1 timesteps: the
 * second one repeats the first and re-does that step with the averaged ε (a 2-stage warm start). The Runge–Kutta
 * warm start (skip_prk_steps=false, diffusers' class default) is not implemented.
 */
public final class PndmSampler extends AlphaSampler {
    private final float finalAlphaCumprod;
    private final List<INDArray> ets = new ArrayList<>();
    private INDArray curSample;
    private int counter;

    public PndmSampler(SchedulerConfig cfg) {
        super(cfg, "PNDM");
        ConfigValues.unsupportedIf(!Boolean.TRUE.equals(cfg.skipPrkSteps()), "PNDM", "skip_prk_steps",
                cfg.skipPrkSteps(), "true (PLMS only)");
        this.finalAlphaCumprod = ConfigValues.or(cfg.setAlphaToOne(), false) ? 1.0f : schedule.alphaCumprod(0);
    }

    @Override
    public void setTimesteps(int n) {
        double[] desc = spacing.discreteDescending(schedule.numTrainTimesteps(), n, stepsOffset);
        // descending with the second value repeated (diffusers: concat(ts[:-1], ts[-2:-1], ts[-1:])[::-1]);
        // a single step has nothing to repeat
        float[] ts = new float[n == 1 ? 1 : n + 1];
        ts[0] = (float) desc[0];
        for (int i = 1; i < ts.length; i++) ts[i] = (float) desc[Math.max(1, i - 1)];
        numInferenceSteps = n;
        timesteps = ts;
        ets.clear();
        curSample = null;
        counter = 0;
    }

    @Override
    public StepResult step(INDArray modelOutput, float t, INDArray sample, NoiseSource rng) {
        int ti = beginStep(modelOutput, t, sample);
        int prev = ti - stepRatio();
        if (counter != 1) {
            while (ets.size() > 3) ets.remove(0);
            ets.add(modelOutput);
        } else {
            // second visit of the first timestep: redo the first step from the original sample
            prev = ti;
            ti = ti + stepRatio();
        }
        INDArray eps;
        INDArray x = sample;
        int k = ets.size();
        if (k == 1 && counter == 0) {
            eps = modelOutput;
            curSample = sample;
        } else if (k == 1 && counter == 1) {
            eps = modelOutput.add(ets.get(0)).muli(0.5);
            x = curSample;
            curSample = null;
        } else if (k == 2) {
            eps = LatentMath.lin(1.5, ets.get(1), -0.5, ets.get(0));
        } else if (k == 3) {
            eps = LatentMath.lin(23.0 / 12, ets.get(2), -16.0 / 12, ets.get(1), 5.0 / 12, ets.get(0));
        } else {
            eps = LatentMath.lin(55.0 / 24, ets.get(3), -59.0 / 24, ets.get(2), 37.0 / 24, ets.get(1))
                    .addi(ets.get(0).mul(-9.0 / 24));
        }
        INDArray prevSample = prevSample(x, ti, prev, eps);
        counter++;
        return new StepResult(prevSample, null);
    }

    /** DDIM-style transfer from ti to prev given an ε (or v) estimate (formula (9) of the PNDM paper). */
    private INDArray prevSample(INDArray sample, int ti, int prev, INDArray modelOutput) {
        double alphaT = schedule.alphaCumprod(ti);
        double alphaPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaCumprod;
        double betaT = 1 - alphaT;
        double betaPrev = 1 - alphaPrev;
        INDArray eps = switch (prediction) {
            case EPSILON -> modelOutput;
            case V_PREDICTION -> LatentMath.lin(Math.sqrt(alphaT), modelOutput, Math.sqrt(betaT), sample);
            case SAMPLE -> throw new SchedulerException("PNDM: prediction_type sample is not supported; "
                    + "expected epsilon or v_prediction");
        };
        double sampleCoeff = Math.sqrt(alphaPrev / alphaT);
        double denom = alphaT * Math.sqrt(betaPrev) + Math.sqrt(alphaT * betaT * alphaPrev);
        return LatentMath.lin(sampleCoeff, sample, -(alphaPrev - alphaT) / denom, eps);
    }
}

package dev.adi4j.diffusion.scheduler;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.flat;
import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.latent;
import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.maxAbsDiff;
import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.sd21;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DDIM with eta &gt; 0, Euler ancestral and DDPM: structure and statistics of the injected noise. */
class StochasticSamplerTest {
    private static final long[] SHAPE = {1, 4, 8, 8};

    /** A full rollout with the README's toy model; returns the final sample. */
    private static INDArray rollout(Sampler s, int n, NoiseSource rng) {
        s.setTimesteps(n);
        INDArray x = latent(7, SHAPE).mul(s.initNoiseSigma());
        for (float t : s.timesteps()) {
            INDArray out = s.scaleModelInput(x, t).mul(0.1).addi(Math.sin(t));
            x = s.step(out, t, x, rng).prevSample();
        }
        return x;
    }

    @Test
    void ddimEtaIsDeterministicForASeedAndDependsOnIt() {
        DdimSampler s = new DdimSampler(sd21(), 0.7);
        INDArray a = rollout(s, 10, NoiseSource.gaussian(42));
        INDArray b = rollout(s, 10, NoiseSource.gaussian(42));
        INDArray c = rollout(s, 10, NoiseSource.gaussian(43));
        assertEquals(0.0, maxAbsDiff(a, b));
        assertTrue(maxAbsDiff(a, c) > 1e-3, "another seed must give another sample");
        assertThrows(SchedulerException.class, () -> rollout(s, 10, null));
    }

    @Test
    void ddimEtaStepIsTheAnalyticMeanPlusStdTimesNoise() {
        double eta = 0.5;
        DdimSampler s = new DdimSampler(sd21(Map.of("prediction_type", "epsilon")), eta);
        s.setTimesteps(10);
        INDArray x = latent(1, SHAPE);
        INDArray eps = latent(2, SHAPE);
        INDArray z = latent(3, SHAPE);
        float t = 501;
        NoiseSchedule sch = NoiseSchedule.of(sd21());
        double a = sch.alphaCumprod(501);
        double ap = sch.alphaCumprod(401);
        double std = eta * Math.sqrt((1 - ap) / (1 - a) * (1 - a / ap));
        INDArray x0 = x.sub(eps.mul(Math.sqrt(1 - a))).divi(Math.sqrt(a));
        INDArray mean = x0.mul(Math.sqrt(ap)).addi(eps.mul(Math.sqrt(1 - ap - std * std)));
        INDArray withZero = s.step(eps, t, x, NoiseSource.zeros()).prevSample();
        INDArray withZ = s.step(eps, t, x, shape -> z.dup()).prevSample();
        assertTrue(maxAbsDiff(withZero, mean) < 1e-5);
        assertTrue(maxAbsDiff(withZ.sub(withZero), z.mul(std)) < 1e-5);
        // eta -> 0 recovers deterministic DDIM
        DdimSampler tinyEta = new DdimSampler(sd21(Map.of("prediction_type", "epsilon")), 1e-12);
        tinyEta.setTimesteps(10);
        DdimSampler deterministic = new DdimSampler(sd21(Map.of("prediction_type", "epsilon")));
        deterministic.setTimesteps(10);
        INDArray tiny = tinyEta.step(eps, t, x, NoiseSource.zeros()).prevSample();
        INDArray det = deterministic.step(eps, t, x).prevSample();
        assertTrue(maxAbsDiff(tiny, det) < 1e-6);
    }

    @Test
    void ddimWithEtaOneIsTheDdpmPosteriorStep() {
        // DDIM paper: eta = 1 gives DDPM's ancestral step (same x0, same noise)
        var cfg = sd21(Map.of("prediction_type", "epsilon", "set_alpha_to_one", true));
        DdimSampler ddim = new DdimSampler(cfg, 1.0);
        DdpmSampler ddpm = new DdpmSampler(cfg);
        ddim.setTimesteps(10);
        ddpm.setTimesteps(10);
        INDArray x = latent(4, SHAPE);
        INDArray eps = latent(5, SHAPE);
        for (float t : ddim.timesteps()) {
            INDArray a = ddim.step(eps, t, x, NoiseSource.gaussian(9)).prevSample();
            INDArray b = ddpm.step(eps, t, x, NoiseSource.gaussian(9)).prevSample();
            assertTrue(maxAbsDiff(a, b) < 2e-5, "t=" + t + ": " + maxAbsDiff(a, b));
        }
    }

    @Test
    void ddimNoiseHasTheDdpmPosteriorStandardDeviation() {
        DdimSampler s = new DdimSampler(sd21(), 1.0);
        s.setTimesteps(25);
        long[] big = {1, 4, 64, 64};
        INDArray x = latent(11, big);
        INDArray out = latent(12, big);
        float t = 481;
        INDArray noiseFree = s.step(out, t, x, NoiseSource.zeros()).prevSample();
        float[] d = flat(s.step(out, t, x, NoiseSource.gaussian(5)).prevSample().sub(noiseFree));
        NoiseSchedule sch = NoiseSchedule.of(sd21());
        double a = sch.alphaCumprod(481);
        double ap = sch.alphaCumprod(441);
        double expected = Math.sqrt((1 - ap) / (1 - a) * (1 - a / ap));
        assertEquals(expected, std(d), 0.03 * expected);
        assertEquals(0.0, mean(d), 0.03 * expected);
    }

    @Test
    void eulerAncestralSplitsSigmaIntoDownAndUp() {
        EulerAncestralSampler s = new EulerAncestralSampler(sd21());
        s.setTimesteps(10);
        float[] sig = s.sigmas();
        float[] ts = s.timesteps();
        INDArray x = latent(21, SHAPE).mul(s.initNoiseSigma());
        INDArray out = latent(22, SHAPE);
        INDArray z = latent(23, SHAPE);
        int i = 3;
        for (int k = 0; k < i; k++) s.step(out, ts[k], x, NoiseSource.zeros());
        EulerAncestralSampler s2 = copyAt(i);
        INDArray withZero = s.step(out, ts[i], x, NoiseSource.zeros()).prevSample();
        INDArray withZ = s2.step(out, ts[i], x, shape -> z.dup()).prevSample();
        double from = sig[i];
        double to = sig[i + 1];
        double up = Math.sqrt(to * to * (from * from - to * to) / (from * from));
        double down = Math.sqrt(to * to - up * up);
        INDArray x0 = out.mul(-from / Math.sqrt(from * from + 1)).addi(x.div(from * from + 1));
        INDArray expected = x.add(x.sub(x0).divi(from).muli(down - from));
        assertTrue(maxAbsDiff(withZero, expected) < 1e-4);
        assertTrue(maxAbsDiff(withZ.sub(withZero), z.mul(up)) < 1e-4);
        assertEquals(to * to, up * up + down * down, 1e-9 * to * to);
    }

    private static EulerAncestralSampler copyAt(int steps) {
        EulerAncestralSampler s = new EulerAncestralSampler(sd21());
        s.setTimesteps(10);
        INDArray x = latent(21, SHAPE);
        INDArray out = latent(22, SHAPE);
        for (int k = 0; k < steps; k++) s.step(out, s.timesteps()[k], x, NoiseSource.zeros());
        return s;
    }

    @Test
    void eulerAncestralIsSeededAndItsLastStepLandsOnX0() {
        EulerAncestralSampler s = new EulerAncestralSampler(sd21(Map.of("prediction_type", "epsilon")));
        INDArray a = rollout(s, 10, NoiseSource.gaussian(1));
        INDArray b = rollout(s, 10, NoiseSource.gaussian(1));
        INDArray c = rollout(s, 10, NoiseSource.gaussian(2));
        assertEquals(0.0, maxAbsDiff(a, b));
        assertTrue(maxAbsDiff(a, c) > 1e-3);
        // last step: sigma_next = 0 so sigma_up = sigma_down = 0 and the result is x0 whatever the noise
        s.setTimesteps(10);
        float[] ts = s.timesteps();
        INDArray x = latent(3, SHAPE);
        INDArray out = latent(4, SHAPE);
        for (int k = 0; k < ts.length - 1; k++) s.step(out, ts[k], x, NoiseSource.gaussian(k));
        StepResult last = s.step(out, ts[ts.length - 1], x, NoiseSource.gaussian(99));
        assertTrue(maxAbsDiff(last.prevSample(), last.predOriginalSample()) < 1e-6);
        assertThrows(SchedulerException.class, () -> rollout(s, 10, null));
    }

    @Test
    void ddpmAddsNoiseExceptAtTimestepZero() {
        DdpmSampler s = new DdpmSampler(sd21(Map.of("timestep_spacing", "linspace")));
        s.setTimesteps(10);
        float[] ts = s.timesteps();
        assertEquals(0f, ts[ts.length - 1]);
        INDArray x = latent(1, SHAPE);
        INDArray out = latent(2, SHAPE);
        INDArray a = s.step(out, ts[ts.length - 1], x).prevSample(); // t = 0: no noise needed
        INDArray b = s.step(out, ts[ts.length - 1], x, NoiseSource.gaussian(3)).prevSample();
        assertEquals(0.0, maxAbsDiff(a, b));
        assertThrows(SchedulerException.class, () -> s.step(out, ts[0], x));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float f : v) s += (f - m) * (f - m);
        return Math.sqrt(s / v.length);
    }
}

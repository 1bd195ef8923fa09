package dev.adi4j.diffusion.scheduler;

import org.junit.jupiter.api.Test;

import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.sd21;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Karras sigmas and the σ → t mapping. */
class KarrasSamplerTest {
    private final float[] train = NoiseSchedule.of(sd21()).trainSigmas();

    @Test
    void karrasSigmasAreMonotoneBetweenTheEndpoints() {
        double[] s = KarrasSigmas.sigmas(0.03, 14.6, 20);
        assertEquals(14.6, s[0], 1e-12);
        assertEquals(0.03, s[19], 1e-12);
        for (int i = 1; i < s.length; i++) assertTrue(s[i] < s[i - 1], "not decreasing at " + i);
        assertThrows(SchedulerException.class, () -> KarrasSigmas.sigmas(0, 1, 5));
    }

    @Test
    void sigmaToTInvertsTheTrainingSigmas() {
        float[] logs = KarrasSigmas.logOf(train);
        for (int t : new int[] {0, 1, 17, 500, 998, 999}) {
            assertEquals(t, KarrasSigmas.sigmaToT(train[t], logs), 1e-3, "t=" + t);
        }
        assertEquals(0.0, KarrasSigmas.sigmaToT(train[0] / 2, logs), 0.0); // clamped below
        assertEquals(999.0, KarrasSigmas.sigmaToT(train[999] * 2, logs), 0.0); // clamped above
    }

    @Test
    void dpmpp2mKarrasSpansTheTrainingSigmas() {
        Sampler s = Samplers.byName("dpmpp2m_karras", sd21());
        s.setTimesteps(15);
        float[] sig = s.sigmas();
        float[] ts = s.timesteps();
        assertEquals(16, sig.length);
        assertEquals(train[999], sig[0], 1e-5 * train[999]);
        assertEquals(train[0], sig[14], 1e-5 * train[0]);
        assertEquals(0f, sig[15]);
        assertEquals(999f, ts[0]);
        assertEquals(0f, ts[14]);
        for (int i = 1; i < sig.length; i++) assertTrue(sig[i] < sig[i - 1], "sigma not decreasing at " + i);
        for (int i = 1; i < ts.length; i++) assertTrue(ts[i] <= ts[i - 1], "timestep increasing at " + i);
        for (float t : ts) assertEquals(Math.rint(t), t, 0.0, "DPM timesteps are integers");
    }

    @Test
    void eulerKarrasUsesFractionalTimesteps() {
        Sampler s = Samplers.byName("euler_karras", sd21());
        s.setTimesteps(10);
        float[] sig = s.sigmas();
        assertEquals(train[999], sig[0], 1e-5 * train[999]);
        assertEquals(train[0], sig[9], 1e-5 * train[0]);
        boolean fractional = false;
        for (float t : s.timesteps()) fractional |= t != Math.rint(t);
        assertTrue(fractional);
        assertEquals(sig[0], s.initNoiseSigma(), 0.0);
    }
}

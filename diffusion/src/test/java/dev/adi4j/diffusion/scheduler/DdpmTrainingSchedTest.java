package dev.adi4j.diffusion.scheduler;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.latent;
import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.maxAbsDiff;
import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.sd21;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward-process identities of the training math, and schedule variants. */
class DdpmTrainingSchedTest {
    private final DdpmTraining training = DdpmTraining.of(sd21());
    private final INDArray x0 = latent(1, 3, 4, 8, 8);
    private final INDArray noise = latent(2, 3, 4, 8, 8);
    private final int[] ts = {0, 500, 999};

    @Test
    void velocityAndNoisySampleRecoverX0AndNoise() {
        INDArray xt = training.addNoise(x0, noise, ts);
        INDArray v = training.velocity(x0, noise, ts);
        // per row with a = sqrt(abar), b = sqrt(1 - abar): x0 = a*xt - b*v, eps = b*xt + a*v
        for (int r = 0; r < ts.length; r++) {
            double abar = training.schedule().alphaCumprod(ts[r]);
            double a = Math.sqrt(abar);
            double b = Math.sqrt(1 - abar);
            INDArray xr = xt.slice(r);
            INDArray vr = v.slice(r);
            assertTrue(maxAbsDiff(xr.mul(a).subi(vr.mul(b)), x0.slice(r)) < 1e-5);
            assertTrue(maxAbsDiff(xr.mul(b).addi(vr.mul(a)), noise.slice(r)) < 1e-5);
        }
    }

    @Test
    void targetFollowsThePredictionType() {
        assertEquals(PredictionType.V_PREDICTION, training.predictionType());
        assertEquals(0.0, maxAbsDiff(training.target(x0, noise, ts), training.velocity(x0, noise, ts)));
        assertEquals(0.0, maxAbsDiff(training.targetFor(PredictionType.EPSILON, x0, noise, ts), noise));
        assertEquals(0.0, maxAbsDiff(training.targetFor(PredictionType.SAMPLE, x0, noise, ts), x0));
    }

    @Test
    void badShapesAndTimestepsAreClearErrors() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> training.addNoise(x0, noise, new int[] {1, 2}));
        assertTrue(e.getMessage().contains("one timestep per row"), e.getMessage());
        assertThrows(SchedulerException.class, () -> training.addNoise(x0, latent(3, 3, 4, 8, 4), ts));
        SchedulerException e2 = assertThrows(SchedulerException.class,
                () -> training.addNoise(x0, noise, new int[] {0, 1, 1000}));
        assertTrue(e2.getMessage().contains("1000"), e2.getMessage());
    }

    @Test
    void trainedBetasAndOtherSchedules() {
        NoiseSchedule trained = NoiseSchedule.of(sd21(Map.of("trained_betas", List.of(0.1, 0.2, 0.5),
                "num_train_timesteps", 3)));
        float[] ac = trained.alphasCumprod();
        assertEquals(0.9f, ac[0]);
        assertEquals(0.9f * 0.8f, ac[1], 1e-7);
        assertEquals(0.9 * 0.8 * 0.5, ac[2], 1e-7);
        float[] linear = NoiseSchedule.of(sd21(Map.of("beta_schedule", "linear"))).betas();
        assertEquals(0.00085f, linear[0]);
        assertEquals(0.012f, linear[999]);
        float[] cos = NoiseSchedule.of(sd21(Map.of("beta_schedule", "squaredcos_cap_v2"))).betas();
        assertEquals(0.999f, cos[999]); // capped
        for (int i = 1; i < 999; i++) assertTrue(cos[i] >= cos[i - 1]);
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> NoiseSchedule.of(sd21(Map.of("beta_schedule", "sigmoid"))));
        assertTrue(e.getMessage().contains("sigmoid"), e.getMessage());
    }
}

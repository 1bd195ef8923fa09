package dev.adi4j.diffusion.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.adi4j.diffusion.scheduler.SamplerTestSupport.sd21;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timestep spacings against values diffusers v0.27.2 gives for 1000 training steps. */
class TimestepSpacingSamplerTest {
    private static float[] ddim(String spacing, int offset, int n) {
        DdimSampler s = new DdimSampler(sd21(Map.of("timestep_spacing", spacing, "steps_offset", offset)));
        s.setTimesteps(n);
        return s.timesteps();
    }

    @Test
    void leadingWithOffsetOne() {
        assertArrayEquals(new float[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1}, ddim("leading", 1, 10));
        assertArrayEquals(new float[] {751, 501, 251, 1}, ddim("leading", 1, 4)); // pipeline_ddim golden
    }

    @Test
    void trailing() {
        assertArrayEquals(new float[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99}, ddim("trailing", 0, 10));
        // 1000/7 is not an integer: round(arange(1000, 0, -142.857...)) - 1
        assertArrayEquals(new float[] {999, 856, 713, 570, 428, 285, 142}, ddim("trailing", 0, 7));
    }

    @Test
    void linspaceRoundsForDdimButNotForEuler() {
        assertArrayEquals(new float[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0}, ddim("linspace", 0, 10));
        // round half to even like numpy: linspace(0, 999, 7) = 0, 166.5, 333, 499.5, 666, 832.5, 999
        assertArrayEquals(new float[] {999, 832, 666, 500, 333, 166, 0}, ddim("linspace", 0, 7));
        EulerSampler e = new EulerSampler(sd21());
        e.setTimesteps(25);
        float[] t = e.timesteps();
        assertEquals(25, t.length);
        assertEquals(999f, t[0]);
        assertEquals(957.375f, t[1]);
        assertEquals(0f, t[24]);
    }

    @Test
    void dpmSolverLinspaceDropsTheZeroStep() {
        DpmSolverMultistepSampler s = new DpmSolverMultistepSampler(sd21());
        s.setTimesteps(4);
        assertArrayEquals(new float[] {999, 749, 500, 250}, s.timesteps()); // pipeline_dpmpp2m golden
    }

    @Test
    void pndmRepeatsTheSecondTimestep() {
        PndmSampler s = new PndmSampler(sd21());
        s.setTimesteps(10);
        assertArrayEquals(new float[] {901, 801, 801, 701, 601, 501, 401, 301, 201, 101, 1}, s.timesteps());
        s.setTimesteps(1);
        assertArrayEquals(new float[] {1}, s.timesteps());
    }

    @Test
    void badStepCountAndSpacingAreClearErrors() {
        DdimSampler s = new DdimSampler(sd21());
        SchedulerException e = assertThrows(SchedulerException.class, () -> s.setTimesteps(1001));
        assertTrue(e.getMessage().contains("num_inference_steps"), e.getMessage());
        SchedulerException e2 = assertThrows(SchedulerException.class,
                () -> new DdimSampler(sd21(Map.of("timestep_spacing", "lead"))));
        assertTrue(e2.getMessage().contains("timestep_spacing 'lead'"), e2.getMessage());
    }

    @Test
    void samplerNamesAreValidatedWithTheValidList() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> Samplers.byName("eulr", sd21()));
        for (String n : new String[] {"ddim", "euler", "euler_a", "dpmpp2m", "dpmpp2m_karras", "ddpm", "pndm"}) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
            Sampler s = Samplers.byName(n, sd21());
            s.setTimesteps(10);
            assertTrue(s.timesteps().length >= 10, n);
        }
        assertTrue(Samplers.byName("euler_a", sd21()) instanceof EulerAncestralSampler);
    }

    @Test
    void unknownOverrideKeyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sd21(Map.of("timestep_spacin", "leading")));
        assertTrue(e.getMessage().contains("timestep_spacin"), e.getMessage());
    }
}

package dev.adi4j.adi.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values from diffusers' get_scheduler lambdas, worked out by hand. */
class LrScheduleTest {
    @Test
    void constant() {
        LrSchedule s = LrSchedule.of("constant", 0, 100);
        assertEquals(1.0, s.factor(0));
        assertEquals(1.0, s.factor(99));
        assertEquals(5e-3, s.lr(5e-3, 1000));
    }

    @Test
    void constantRefusesWarmup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("constant", 10, 100));
        assertTrue(e.getMessage().contains("constant_with_warmup"), e.getMessage());
    }

    @Test
    void constantWithWarmup() {
        LrSchedule s = LrSchedule.of("constant_with_warmup", 4, 100);
        assertEquals(0.0, s.factor(0));
        assertEquals(0.25, s.factor(1));
        assertEquals(0.75, s.factor(3));
        assertEquals(1.0, s.factor(4));
        assertEquals(1.0, s.factor(500));
        assertEquals(2.5e-3, s.lr(1e-2, 1));
    }

    @Test
    void linear() {
        LrSchedule s = LrSchedule.of("linear", 10, 110);
        assertEquals(0.5, s.factor(5));
        assertEquals(1.0, s.factor(10));
        assertEquals(0.75, s.factor(35));      // (110 - 35) / 100
        assertEquals(0.01, s.factor(109), 1e-15);
        assertEquals(0.0, s.factor(110));
        assertEquals(0.0, s.factor(200));      // clamped, not negative
        assertEquals(0.5, LrSchedule.of("linear", 0, 4).factor(2));
    }

    @Test
    void cosine() {
        LrSchedule s = LrSchedule.of("COSINE", 10, 110);
        assertEquals(0.3, s.factor(3), 1e-15);
        assertEquals(1.0, s.factor(10));
        assertEquals(0.5, s.factor(60), 1e-15);                               // progress 1/2
        assertEquals((1 + Math.sqrt(0.5)) / 2, s.factor(35), 1e-15);         // progress 1/4
        assertEquals(0.0, s.factor(110), 1e-15);
        // past the total the half cosine climbs again, as in diffusers (training never gets there)
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 1.2)), s.factor(130), 1e-15);
    }

    @Test
    void badNamesAndArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("polynomial", 0, 10));
        assertTrue(e.getMessage().contains("'polynomial'") && e.getMessage().contains("cosine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("linear", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("linear", -1, 10));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("linear", 0, 10).factor(-1));
    }
}

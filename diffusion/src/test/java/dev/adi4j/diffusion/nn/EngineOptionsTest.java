package dev.adi4j.diffusion.nn;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineOptionsTest {
    @Test
    void defaultsWhenNothingIsSet() {
        EngineOptions o = EngineOptions.from(k -> null);
        assertTrue(o.unetCheckpointing());
        assertFalse(o.stockNorm());
        assertFalse(o.stockGradients());
        assertEquals(0, o.textBackwardRows());
        assertEquals(1024, o.textGradientCacheMB());
        assertEquals(1L << 26, o.attentionMaxScoreElements());
        assertTrue(o.planExecutor());
        assertEquals(512, o.planMaxArenaMB());
        assertEquals(1L << 20, o.unetCheckpointMinElements());
        assertEquals(1, o.blasThreads());
        assertEquals(4096, o.textPlanMaxArenaMB());
        assertEquals(256, o.unetKeepActivationsBelowPositions());
        assertEquals(14, o.describe().size());
    }

    @Test
    void propertiesOverrideDefaults() {
        Map<String, String> p = Map.of("adi4j.unet.checkpointing", "false", "adi4j.stockNorm", "TRUE",
                "adi4j.text.backwardRows", "16", "adi4j.sessionMemory", "cache");
        EngineOptions o = EngineOptions.from(p::get);
        assertFalse(o.unetCheckpointing());
        assertTrue(o.stockNorm());
        assertEquals(16, o.textBackwardRows());
        assertEquals("cache", o.describe().get("adi4j.sessionMemory"));
    }

    @Test
    void executorIsPlanOrSameDiff() {
        assertFalse(EngineOptions.from(Map.of("adi4j.executor", "samediff")::get).planExecutor());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.from(Map.of("adi4j.executor", "fast")::get));
        assertEquals("-Dadi4j.executor must be plan or samediff, got 'fast'", e.getMessage());
    }

    @Test
    void badValuesNameTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.from(Map.of("adi4j.text.backwardRows", "0")::get));
        assertEquals("-Dadi4j.text.backwardRows must be a positive integer, got '0'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.from(Map.of("adi4j.unet.checkpointing", "yes")::get));
        assertTrue(e.getMessage().startsWith("-Dadi4j.unet.checkpointing must be true or false"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.from(Map.of("adi4j.sessionMemory", "x")::get));
        e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.from(Map.of("adi4j.blasThreads", "-1")::get));
        assertEquals("-Dadi4j.blasThreads must be 0 or a positive integer, got '-1'", e.getMessage());
    }

    @Test
    void blasThreadsZeroLeavesOpenBlasDefault() {
        EngineOptions o = EngineOptions.from(Map.of("adi4j.blasThreads", "0")::get);
        assertEquals(0, o.blasThreads());
        assertEquals("OpenBLAS's default", o.describe().get("adi4j.blasThreads"));
    }
}

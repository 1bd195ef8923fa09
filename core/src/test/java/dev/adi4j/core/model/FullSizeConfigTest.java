package dev.adi4j.core.model;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The published SD 2.1 configs, and proof that our defaults equal diffusers'/transformers' resolved ones. */
class FullSizeConfigTest {
    @Test
    void sd21Unet() {
        UNetConfig u = Configs.read(Fixtures.manifest("sd21-unet-config.json"), UNetConfig.class);
        assertEquals(List.of(320, 640, 1280, 1280), u.blockOutChannels());
        assertEquals(List.of(5, 10, 20, 20), u.headsPerLevel());
        assertEquals(1024, u.crossAttentionDim());
        assertEquals(List.of(1, 1, 1, 1), u.transformerLayersPerLevel());
        assertEquals(1280, u.timeEmbedDim());
        assertEquals(2, u.layersPerBlock());
        assertEquals(96, u.sampleSize());
        assertEquals(4, u.inChannels());
        assertTrue(u.useLinearProjection());
        assertTrue(u.upcastAttention());
        assertTrue(u.flipSinToCos());
        assertEquals(0, u.freqShift());
        assertEquals("UNetMidBlock2DCrossAttn", u.midBlockType());
        assertEquals("default", u.resnetTimeScaleShift());
        assertEquals(List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
                u.upBlockTypes());
        UNetConfig resolved = Configs.read(Fixtures.manifest("sd21-unet-config.resolved.json"), UNetConfig.class);
        assertEquals(resolved, u, "defaults filled in for absent fields equal diffusers' resolved config");
    }

    @Test
    void sd21Vae() {
        VaeConfig v = Configs.read(Fixtures.manifest("sd21-vae-config.json"), VaeConfig.class);
        assertEquals(List.of(128, 256, 512, 512), v.blockOutChannels());
        assertEquals(2, v.layersPerBlock());
        assertEquals(4, v.latentChannels());
        assertEquals(768, v.sampleSize());
        assertEquals(0.18215, v.scalingFactor());
        assertTrue(v.forceUpcast());
        assertEquals(v, Configs.read(Fixtures.manifest("sd21-vae-config.resolved.json"), VaeConfig.class));
    }

    @Test
    void sd21TextEncoder() {
        ClipTextConfig t = Configs.read(Fixtures.manifest("sd21-text-encoder-config.json"), ClipTextConfig.class);
        assertEquals(23, t.numHiddenLayers());
        assertEquals(1024, t.hiddenSize());
        assertEquals(16, t.numAttentionHeads());
        assertEquals(4096, t.intermediateSize());
        assertEquals("gelu", t.hiddenAct());
        assertEquals(512, t.projectionDim());
        assertEquals(77, t.maxPositionEmbeddings());
        assertEquals(1e-5, t.layerNormEps());
        assertEquals(List.of(0, 2, 1), List.of(t.bosTokenId(), t.eosTokenId(), t.padTokenId()));
        assertEquals(t, Configs.read(Fixtures.manifest("sd21-text-encoder-config.resolved.json"), ClipTextConfig.class));
    }
}

package dev.adi4j.core.model;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ModelFolderTest {
    @Test
    void tinySdReadsEveryComponent() {
        Path root = Fixtures.tinySd();
        ModelFolder m = ModelFolder.open(root);
        ModelIndex idx = m.index();
        assertEquals("StableDiffusionPipeline", idx.className());
        assertEquals("0.27.2", idx.diffusersVersion());
        assertEquals(new ModelIndex.Component("diffusers", "UNet2DConditionModel"), idx.component("unet").orElseThrow());
        assertEquals(new ModelIndex.Component("transformers", "CLIPTokenizer"), idx.component("tokenizer").orElseThrow());
        assertEquals(Set.of("unet", "vae", "text_encoder", "tokenizer", "scheduler"), idx.components().keySet());
        assertEquals(Set.of("safety_checker", "feature_extractor"), idx.disabled());

        UNetConfig u = m.unet();
        assertEquals(List.of(32, 64, 64, 64), u.blockOutChannels());
        assertEquals(List.of(2, 4, 4, 4), u.headsPerLevel());
        assertEquals(List.of(1, 1, 1, 1), u.transformerLayersPerLevel());
        assertEquals(32, u.crossAttentionDim());
        assertEquals(128, u.timeEmbedDim());
        assertEquals(16, u.sampleSize());
        assertTrue(u.useLinearProjection());
        assertTrue(u.upcastAttention());
        assertEquals(List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
                u.downBlockTypes());

        VaeConfig v = m.vae();
        assertEquals(List.of(32, 32, 64, 64), v.blockOutChannels());
        assertEquals(2, v.layersPerBlock());
        assertEquals(0.18215, v.scalingFactor());
        assertEquals(64, v.sampleSize());

        ClipTextConfig t = m.textEncoder();
        assertEquals(32, t.hiddenSize());
        assertEquals(3, t.numHiddenLayers());
        assertEquals(4, t.numAttentionHeads());
        assertEquals(64, t.intermediateSize());
        assertEquals("gelu", t.hiddenAct());
        assertEquals(49408, t.vocabSize());

        SchedulerConfig s = m.scheduler();
        assertEquals("DDIMScheduler", s.className());
        assertEquals("v_prediction", s.predictionType());
        assertEquals("scaled_linear", s.betaSchedule());
        assertEquals(0.00085, s.betaStart());
        assertEquals(0.012, s.betaEnd());
        assertEquals(1, s.stepsOffset());
        assertFalse(s.setAlphaToOne());

        TokenizerFiles tok = m.tokenizer();
        assertEquals(root.resolve("tokenizer/vocab.json"), tok.vocab());
        assertEquals(root.resolve("tokenizer/merges.txt"), tok.merges());
        assertEquals(root.resolve("tokenizer/special_tokens_map.json"), tok.specialTokensMap());
        assertEquals(root.resolve("tokenizer/tokenizer_config.json"), tok.tokenizerConfig());

        WeightFiles uw = m.unetWeights();
        assertEquals(List.of(root.resolve("unet/diffusion_pytorch_model.safetensors")), uw.files());
        assertEquals(WeightsVariant.FP32, uw.variant());
        assertFalse(uw.sharded());
        assertNull(uw.note());
        assertEquals(List.of(root.resolve("text_encoder/model.safetensors")), m.textEncoderWeights().files());
        assertEquals(List.of(root.resolve("vae/diffusion_pytorch_model.safetensors")), m.vaeWeights().files());
        try (SafetensorsReader r = SafetensorsReader.open(uw.files().get(0))) {
            assertTrue(r.names().contains("conv_in.weight"), "resolved file is the UNet checkpoint");
        }
        assertSame(u, m.unet(), "configs are cached");
    }

    @Test
    void fp16RequestFallsBackToFp32WithANote() {
        ModelFolder m = ModelFolder.open(Fixtures.tinySd(), WeightsVariant.FP16);
        WeightFiles w = m.unetWeights();
        assertEquals(WeightsVariant.FP32, w.variant());
        assertTrue(w.fellBack());
        assertTrue(w.note().contains("diffusion_pytorch_model.fp16.safetensors"), w.note());
        assertTrue(w.note().contains("diffusion_pytorch_model.safetensors"), w.note());
    }

    @Test
    void componentViewReadsOneComponentFolder() {
        Path unetDir = Fixtures.tinySd().resolve("unet");
        ModelFolder view = ModelFolder.component(Component.UNET, unetDir);
        assertEquals(ModelFolder.open(Fixtures.tinySd()).unet(), view.unet());
        assertEquals(List.of(unetDir.resolve(Component.UNET.weightsFile())), view.unetWeights().files());
        assertEquals(unetDir.resolve("config.json"), view.configFile(Component.UNET));
        assertTrue(view.has(Component.UNET));
        assertFalse(view.has(Component.VAE));
        ModelFolderException other = assertThrows(ModelFolderException.class, view::vae);
        assertEquals(unetDir, other.path());
        assertTrue(other.getMessage().contains("single unet folder") && other.getMessage().contains("vae"),
                other.getMessage());
        assertThrows(ModelFolderException.class, view::index);
    }

    @Test
    void componentsNameTheirFiles() {
        assertEquals("diffusion_pytorch_model.safetensors", Component.UNET.weightsFile());
        assertEquals("model.safetensors", Component.TEXT_ENCODER.weightsFile());
        assertEquals(List.of("model", "diffusion_pytorch_model"), Component.TEXT_ENCODER.weightsStems());
        assertEquals(Component.VAE, Component.byFolder("vae"));
        assertNull(Component.byFolder("safety_checker"));
    }
}

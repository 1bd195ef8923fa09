package dev.adi4j.core.model;

import dev.adi4j.core.io.ModelLoadException;
import dev.adi4j.core.config.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Broken folders built in a temp dir from copies of the tiny-sd configs (weights are empty placeholders). */
class ModelFolderErrorsTest {
    @TempDir
    Path root;

    @BeforeEach
    void copyConfigs() throws IOException {
        Path src = Fixtures.tinySd();
        for (String f : List.of("model_index.json", "unet/config.json", "vae/config.json", "text_encoder/config.json",
                "scheduler/scheduler_config.json", "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json")) {
            Path dst = root.resolve(f);
            Files.createDirectories(dst.getParent());
            Files.copy(src.resolve(f), dst);
        }
        Files.writeString(root.resolve("tokenizer/vocab.json"), "{}");
        Files.writeString(root.resolve("tokenizer/merges.txt"), "#version: 0.2\n");
    }

    private void touch(String rel) throws IOException {
        Files.write(root.resolve(rel), new byte[0]);
    }

    private void editUnetConfig(String from, String to) throws IOException {
        Path f = root.resolve("unet/config.json");
        String s = Files.readString(f);
        assertTrue(s.contains(from), "fixture text changed: " + from);
        Files.writeString(f, s.replace(from, to));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void missingModelIndex() throws IOException {
        Files.delete(root.resolve("model_index.json"));
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFolder.open(root));
        assertMentions(e, root.resolve("model_index.json").toString(), "not found");
    }

    @Test
    void notAFolder() {
        Path nowhere = root.resolve("nope");
        ModelFolderException e = assertThrows(ModelFolderException.class, () -> ModelFolder.open(nowhere));
        assertMentions(e, nowhere.toString(), "model_index.json");
    }

    @Test
    void malformedModelIndexEntry() throws IOException {
        Files.writeString(root.resolve("model_index.json"), "{\"_class_name\": \"X\", \"unet\": [\"diffusers\"]}");
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root)), "'unet'", "[library, class]");
        Files.writeString(root.resolve("model_index.json"), "{\"unet\": [\"diffusers\", \"UNet2DConditionModel\"]}");
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root)), "'_class_name'");
        Files.writeString(root.resolve("model_index.json"), "{\"_class_name\": ");
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root)), "not valid JSON");
    }

    @Test
    void missingRequiredField() throws IOException {
        editUnetConfig("\"cross_attention_dim\": 32,", "");
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFolder.open(root).unet());
        assertMentions(e, root.resolve("unet/config.json").toString(), "'cross_attention_dim'", "missing");
    }

    @Test
    void wrongType() throws IOException {
        editUnetConfig("\"block_out_channels\": [\n    32,\n    64,\n    64,\n    64\n  ]", "\"block_out_channels\": \"abc\"");
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFolder.open(root).unet());
        assertMentions(e, root.resolve("unet/config.json").toString(), "block_out_channels", "abc");
        assertFalse(e.getMessage().contains("\n at ["), "no Jackson location dump: " + e.getMessage());
    }

    @Test
    void inconsistentPerLevelLists() throws IOException {
        editUnetConfig("\"attention_head_dim\": [\n    2,\n    4,\n    4,\n    4\n  ]", "\"attention_head_dim\": [2, 4]");
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFolder.open(root).unet());
        assertMentions(e, "unet/config.json", "'attention_head_dim'", "2 entries for 4 levels");
        editUnetConfig("\"attention_head_dim\": [2, 4]", "\"attention_head_dim\": [2, 4, 4, 4]");
        editUnetConfig("\"block_out_channels\": [\n    32,\n    64,", "\"block_out_channels\": [\n    32,\n    0,");
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root).unet()),
                "'block_out_channels'", "positive");
    }

    @Test
    void textEncoderHeadsMustDivideHiddenSizeAndNullConfigIsRefused() throws IOException {
        Path f = root.resolve("text_encoder/config.json");
        Files.writeString(f, Files.readString(f).replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 5"));
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root).textEncoder()),
                f.toString(), "'num_attention_heads'", "not divisible");
        Files.writeString(f, "null");
        assertMentions(assertThrows(ConfigException.class, () -> ModelFolder.open(root).textEncoder()),
                f.toString(), "null");
    }

    @Test
    void unknownFieldsAreTolerated() throws IOException {
        editUnetConfig("\"act_fn\": \"silu\",", "\"act_fn\": \"silu\", \"some_future_field\": {\"x\": [1, 2]},");
        assertEquals(32, ModelFolder.open(root).unet().crossAttentionDim());
    }

    @Test
    void fp16OnlyFolder() throws IOException {
        touch("unet/diffusion_pytorch_model.fp16.safetensors");
        WeightFiles asked16 = ModelFolder.open(root, WeightsVariant.FP16).unetWeights();
        assertEquals(List.of(root.resolve("unet/diffusion_pytorch_model.fp16.safetensors")), asked16.files());
        assertEquals(WeightsVariant.FP16, asked16.variant());
        assertNull(asked16.note());
        WeightFiles asked32 = ModelFolder.open(root).unetWeights();
        assertEquals(WeightsVariant.FP16, asked32.variant());
        assertTrue(asked32.fellBack());
        assertMentions(new Exception(asked32.note()), "FP32", "diffusion_pytorch_model.safetensors", "not found",
                "diffusion_pytorch_model.fp16.safetensors");
    }

    @Test
    void bothVariantsPresentHonoursTheRequest() throws IOException {
        touch("unet/diffusion_pytorch_model.safetensors");
        touch("unet/diffusion_pytorch_model.fp16.safetensors");
        assertEquals("diffusion_pytorch_model.safetensors",
                ModelFolder.open(root).unetWeights().files().get(0).getFileName().toString());
        assertEquals("diffusion_pytorch_model.fp16.safetensors",
                ModelFolder.open(root, WeightsVariant.FP16).unetWeights().files().get(0).getFileName().toString());
    }

    @Test
    void pickleOnlyFolder() throws IOException {
        touch("unet/diffusion_pytorch_model.bin");
        touch("text_encoder/pytorch_model.bin");
        ModelFolder m = ModelFolder.open(root);
        ModelFolderException e = assertThrows(ModelFolderException.class, m::unetWeights);
        assertMentions(e, root.resolve("unet").toString(), "diffusion_pytorch_model.bin", "safetensors",
                "adi convert", "safe_serialization=True");
        assertMentions(assertThrows(ModelFolderException.class, m::textEncoderWeights), "pytorch_model.bin", "adi convert");
        assertEquals(32, m.unet().crossAttentionDim(), "configs still readable");
    }

    @Test
    void noWeightsAtAll() {
        ModelFolderException e = assertThrows(ModelFolderException.class, () -> ModelFolder.open(root).vaeWeights());
        assertMentions(e, root.resolve("vae").toString(), "diffusion_pytorch_model.safetensors");
    }

    @Test
    void missingComponentsAreReportedOnlyWhenAskedFor() throws IOException {
        for (String c : List.of("vae", "text_encoder", "tokenizer", "scheduler")) deleteTree(root.resolve(c));
        touch("unet/diffusion_pytorch_model.safetensors");
        ModelFolder m = ModelFolder.open(root);
        assertEquals(32, m.unet().crossAttentionDim());
        assertEquals(1, m.unetWeights().files().size());
        assertFalse(m.has("vae"));
        ModelFolderException e = assertThrows(ModelFolderException.class, m::vae);
        assertMentions(e, root.resolve("vae").toString(), "'vae' missing", "config.json", "AutoencoderKL");
        assertMentions(assertThrows(ModelFolderException.class, m::tokenizer), "vocab.json", "merges.txt", "CLIPTokenizer");
        assertMentions(assertThrows(ModelFolderException.class, m::textEncoderWeights), "text_encoder", "model.safetensors");
        assertMentions(assertThrows(ModelFolderException.class, () -> m.weights("safety_checker")), "[null, null]");
    }

    @Test
    void missingConfigInsideComponent() throws IOException {
        Files.delete(root.resolve("scheduler/scheduler_config.json"));
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFolder.open(root).scheduler());
        assertMentions(e, root.resolve("scheduler/scheduler_config.json").toString(), "not found");
    }

    @Test
    void tokenizerWithoutMerges() throws IOException {
        Files.delete(root.resolve("tokenizer/merges.txt"));
        assertMentions(assertThrows(ModelFolderException.class, () -> ModelFolder.open(root).tokenizer()),
                root.resolve("tokenizer/merges.txt").toString(), "missing");
    }

    @Test
    void shardedWeights() throws IOException {
        touch("unet/diffusion_pytorch_model-00001-of-00002.safetensors");
        touch("unet/diffusion_pytorch_model-00002-of-00002.safetensors");
        Files.writeString(root.resolve("unet/diffusion_pytorch_model.safetensors.index.json"), """
                {"metadata": {"total_size": 10}, "weight_map": {
                  "conv_in.weight": "diffusion_pytorch_model-00001-of-00002.safetensors",
                  "conv_in.bias": "diffusion_pytorch_model-00001-of-00002.safetensors",
                  "conv_out.weight": "diffusion_pytorch_model-00002-of-00002.safetensors"}}""");
        WeightFiles w = ModelFolder.open(root).unetWeights();
        assertTrue(w.sharded());
        assertEquals(List.of(root.resolve("unet/diffusion_pytorch_model-00001-of-00002.safetensors"),
                root.resolve("unet/diffusion_pytorch_model-00002-of-00002.safetensors")), w.files());

        Files.delete(root.resolve("unet/diffusion_pytorch_model-00002-of-00002.safetensors"));
        assertMentions(assertThrows(ModelFolderException.class, () -> ModelFolder.open(root).unetWeights()),
                "diffusion_pytorch_model-00002-of-00002.safetensors", "missing");
    }

    @Test
    void shardedFp16IndexUsesDiffusersVariantName() throws IOException {
        touch("text_encoder/model.fp16-00001-of-00001.safetensors");
        Files.writeString(root.resolve("text_encoder/model.safetensors.index.fp16.json"),
                "{\"weight_map\": {\"a\": \"model.fp16-00001-of-00001.safetensors\"}}");
        WeightFiles w = ModelFolder.open(root, WeightsVariant.FP16).textEncoderWeights();
        assertEquals(WeightsVariant.FP16, w.variant());
        assertTrue(w.sharded());
        Files.writeString(root.resolve("text_encoder/model.safetensors.index.fp16.json"), "{\"weight_map\": {}}");
        assertMentions(assertThrows(ConfigException.class,
                () -> ModelFolder.open(root, WeightsVariant.FP16).textEncoderWeights()), "weight_map", "non-empty");
        Files.writeString(root.resolve("text_encoder/model.safetensors.index.fp16.json"),
                "{\"weight_map\": {\"a\": \"../unet/x.safetensors\"}}");
        assertMentions(assertThrows(ConfigException.class,
                () -> ModelFolder.open(root, WeightsVariant.FP16).textEncoderWeights()), "not a plain file name");
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @Test
    void missingComponentFolderIsAModelLoadExceptionNamingIt() {
        Path nowhere = root.resolve("nowhere");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.component(Component.VAE, nowhere));
        assertInstanceOf(ModelFolderException.class, e);
        assertEquals(nowhere, e.path());
        assertMentions(e, nowhere + ": vae folder not found", "config.json", "diffusion_pytorch_model.safetensors");
    }

    @Test
    void configErrorsBelongToTheFamily() throws IOException {
        editUnetConfig("\"cross_attention_dim\": 32,", "");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.open(root).unet());
        assertInstanceOf(ConfigException.class, e);
        assertEquals(root.resolve("unet/config.json"), e.path());
        assertEquals(e.path() + ": " + e.problem(), e.getMessage());
    }
}

package dev.adi4j.mini.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.pipeline.SpaceToDepthCodec;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a mini-world model folder the same loaders read as SD 2.1's: model_index.json, unet/, text_encoder/,
 * tokenizer/ (word-level), scheduler/ and codec.json instead of vae/.
 */
public final class MiniModelFolder {
    private static final ObjectMapper JSON = Configs.mapper();

    private MiniModelFolder() {
    }

    /** Writes the configs, tokenizer and codec (no weights) into {@code root}. */
    public static void writeConfigs(Path root, MiniModelConfig model, WordTokenizer tokenizer) throws IOException {
        json(root.resolve(ModelFolder.MODEL_INDEX), modelIndex());
        json(root.resolve(ModelFolder.UNET).resolve(Component.CONFIG_FILE), model.unetConfig());
        json(root.resolve(ModelFolder.TEXT_ENCODER).resolve(Component.CONFIG_FILE), model.textEncoderConfig(
                tokenizer.baseVocabSize(), tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId()));
        json(root.resolve(ModelFolder.SCHEDULER).resolve(ModelFolder.SCHEDULER_CONFIG), model.schedulerConfig());
        tokenizer.save(root.resolve(ModelFolder.TOKENIZER));
        new SpaceToDepthCodec(model.codecFactor(), 3).write(root);
    }

    /**
     * A freshly initialised model folder: PyTorch-like fan-in scaled normal weights (std 1/sqrt(fan_in)),
     * normalisation gains 1, biases 0, token and position embeddings N(0, 0.02) as CLIP initialises them, and
     * the UNet's last conv zero so that training starts from "predict no noise" rather than from random output.
     */
    public static void writeRandom(Path root, MiniModelConfig model, WordTokenizer tokenizer, long seed) throws IOException {
        writeConfigs(root, model, tokenizer);
        Random rng = new Random(seed);
        UNetConfig unet = Configs.read(root.resolve(ModelFolder.UNET).resolve(Component.CONFIG_FILE), UNetConfig.class);
        ClipTextConfig text = Configs.read(root.resolve(ModelFolder.TEXT_ENCODER).resolve(Component.CONFIG_FILE),
                ClipTextConfig.class);
        writeWeights(root.resolve(ModelFolder.UNET).resolve(UNet.WEIGHTS_FILE), UNet.declaredParameters(unet), rng);
        writeWeights(root.resolve(ModelFolder.TEXT_ENCODER).resolve(ClipTextEncoder.WEIGHTS_FILE),
                ClipTextEncoder.declaredParameters(text), rng);
    }

    /** Writes {@code arrays} (reference layout, by weight name) as one safetensors file. */
    public static void writeWeights(Path file, Map<String, INDArray> arrays) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        arrays.forEach((name, a) -> w.add(name, a.dup('c')));
        Files.createDirectories(file.getParent());
        w.write(file);
    }

    private static void writeWeights(Path file, List<ParamSpec> specs, Random rng) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (ParamSpec p : specs) arrays.put(p.name(), init(p, rng));
        writeWeights(file, arrays);
    }

    private static INDArray init(ParamSpec p, Random rng) {
        long[] shape = p.shape();
        String n = p.name().toLowerCase();
        if (n.endsWith("position_ids")) {
            INDArray ids = Nd4j.zeros(DataType.FLOAT, shape);
            for (long i = 0; i < shape[shape.length - 1]; i++) ids.putScalar(new long[]{0, i}, i);
            return ids;
        }
        if (shape.length == 1) {
            boolean gain = n.endsWith(".weight") && (n.contains("norm") || n.contains("ln_") || n.contains("layer_norm"));
            return gain ? Nd4j.ones(DataType.FLOAT, shape) : Nd4j.zeros(DataType.FLOAT, shape);
        }
        if (n.startsWith("conv_out.")) return Nd4j.zeros(DataType.FLOAT, shape);
        long count = 1;
        for (long d : shape) count *= d;
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        INDArray a = Nd4j.create(v, shape, 'c');
        if (n.contains("embedding")) return a.muli(0.02);
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
        return a.muli(1.0 / Math.sqrt(fanIn));
    }

    private static Map<String, Object> modelIndex() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "StableDiffusionPipeline");
        m.put("_diffusers_version", "0.27.2");
        m.put("scheduler", List.of("diffusers", "DDIMScheduler"));
        m.put("text_encoder", List.of("transformers", "CLIPTextModel"));
        m.put("tokenizer", List.of("adi4j", "WordLevel"));
        m.put("unet", List.of("diffusers", "UNet2DConditionModel"));
        m.put("vae", java.util.Arrays.asList(null, null));
        return m;
    }

    static void json(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicWrite.write(file, true, t -> JSON.writerWithDefaultPrettyPrinter().writeValue(t.toFile(), value));
    }

    static void jsonUnchecked(Path file, Object value) {
        try {
            json(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

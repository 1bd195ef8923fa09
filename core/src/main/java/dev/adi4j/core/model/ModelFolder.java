package dev.adi4j.core.model;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Hugging Face diffusers model folder ({@code model_index.json}, {@code unet/}, {@code vae/},
 * {@code text_encoder/}, {@code tokenizer/}, {@code scheduler/}). Only model_index.json is read on
 * {@link #open}; each component is read when first asked for, so a caller that needs only the UNet can use
 * a folder without the others. A missing component is reported then, naming the folder and what was
 * expected. Configs and weight locations are cached.
 */
public final class ModelFolder {
    public static final String UNET = "unet";
    public static final String VAE = "vae";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String TOKENIZER = "tokenizer";
    public static final String SCHEDULER = "scheduler";

    /** Weights base names: diffusers models, then transformers models. */
    private static final List<String> WEIGHT_BASES = List.of("diffusion_pytorch_model", "model");

    private final Path root;
    private final ModelIndex index;
    private final WeightsVariant variant;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    private ModelFolder(Path root, ModelIndex index, WeightsVariant variant) {
        this.root = root;
        this.index = index;
        this.variant = variant;
    }

    /** Opens a folder preferring fp32 weights. */
    public static ModelFolder open(Path root) {
        return open(root, WeightsVariant.FP32);
    }

    /** Opens a folder; {@code variant} is the preferred weights precision (the other is a noted fallback). */
    public static ModelFolder open(Path root, WeightsVariant variant) {
        if (!Files.isDirectory(root)) {
            throw new ModelFolderException(root, "model folder not found (expected a diffusers folder with model_index.json)");
        }
        return new ModelFolder(root, ModelIndex.read(root.resolve("model_index.json")), variant);
    }

    public Path root() { return root; }

    public ModelIndex index() { return index; }

    public WeightsVariant variant() { return variant; }

    /** Whether the component's folder exists (nothing is read). */
    public boolean has(String component) {
        return Files.isDirectory(root.resolve(component));
    }

    /** unet/config.json. */
    public UNetConfig unet() {
        return cached("config:" + UNET, () -> Configs.read(configFile(UNET, "config.json"), UNetConfig.class));
    }

    /** vae/config.json. */
    public VaeConfig vae() {
        return cached("config:" + VAE, () -> Configs.read(configFile(VAE, "config.json"), VaeConfig.class));
    }

    /** text_encoder/config.json. */
    public ClipTextConfig textEncoder() {
        return cached("config:" + TEXT_ENCODER,
                () -> Configs.read(configFile(TEXT_ENCODER, "config.json"), ClipTextConfig.class));
    }

    /** scheduler/scheduler_config.json. */
    public SchedulerConfig scheduler() {
        return cached("config:" + SCHEDULER,
                () -> Configs.read(configFile(SCHEDULER, "scheduler_config.json"), SchedulerConfig.class));
    }

    /** The tokenizer/ files. */
    public TokenizerFiles tokenizer() {
        return cached("tokenizer", () -> TokenizerFiles.in(componentDir(TOKENIZER,
                TokenizerFiles.VOCAB + " and " + TokenizerFiles.MERGES)));
    }

    public WeightFiles unetWeights() { return weights(UNET); }

    public WeightFiles vaeWeights() { return weights(VAE); }

    public WeightFiles textEncoderWeights() { return weights(TEXT_ENCODER); }

    /** Any component's safetensors weights (diffusion_pytorch_model* or model*), honouring the variant. */
    public WeightFiles weights(String component) {
        return cached("weights:" + component, () -> WeightsResolver.resolve(
                componentDir(component, "its config and " + String.join(" or ",
                        WEIGHT_BASES.stream().map(b -> variant.apply(b + ".safetensors")).toList())),
                component, WEIGHT_BASES, variant));
    }

    private Path configFile(String component, String name) {
        return componentDir(component, name + " and weights").resolve(name);
    }

    /** The component's folder, or an error naming it, what it should hold and what the index says. */
    private Path componentDir(String component, String expected) {
        Path dir = root.resolve(component);
        if (Files.isDirectory(dir)) return dir;
        String declared = index.component(component)
                .map(c -> "model_index.json declares " + component + " = " + c.library() + " " + c.className())
                .orElse(index.disabled().contains(component)
                        ? "model_index.json declares " + component + " as [null, null]: this pipeline has none"
                        : "model_index.json does not list " + component + " either");
        throw new ModelFolderException(dir, "component folder '" + component + "' missing; expected it to hold "
                + expected + " (" + declared + ")");
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Supplier<T> load) {
        Object v = cache.get(key);
        if (v == null) {
            v = load.get();
            cache.putIfAbsent(key, v);
        }
        return (T) v;
    }
}

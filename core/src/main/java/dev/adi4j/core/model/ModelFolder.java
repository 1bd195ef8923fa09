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
 *
 * <p>{@link #component} gives the same view of one component folder on its own (e.g. {@code tiny-sd/unet}),
 * so that a network loads the same way whether it is handed a whole model or just its folder.
 */
public final class ModelFolder {
    public static final String UNET = Component.UNET.folder();
    public static final String VAE = Component.VAE.folder();
    public static final String TEXT_ENCODER = Component.TEXT_ENCODER.folder();
    public static final String TOKENIZER = "tokenizer";
    public static final String SCHEDULER = "scheduler";
    public static final String SCHEDULER_CONFIG = "scheduler_config.json";
    public static final String MODEL_INDEX = "model_index.json";

    private final Path root;
    private final ModelIndex index;
    /** The one component of a {@link #component} view, null for a whole model folder. */
    private final Component only;
    private final WeightsVariant variant;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    private ModelFolder(Path root, ModelIndex index, Component only, WeightsVariant variant) {
        this.root = root;
        this.index = index;
        this.only = only;
        this.variant = variant;
    }

    /** Opens a folder preferring fp32 weights. */
    public static ModelFolder open(Path root) {
        return open(root, WeightsVariant.FP32);
    }

    /** Opens a folder; {@code variant} is the preferred weights precision (the other is a noted fallback). */
    public static ModelFolder open(Path root, WeightsVariant variant) {
        if (!Files.isDirectory(root)) {
            throw new ModelFolderException(root, "model folder not found (expected a diffusers folder with " + MODEL_INDEX + ")");
        }
        return new ModelFolder(root, ModelIndex.read(root.resolve(MODEL_INDEX)), null, variant);
    }

    /** A view of one component folder on its own (e.g. {@code tiny-sd/unet}), preferring fp32 weights. */
    public static ModelFolder component(Component component, Path folder) {
        return component(component, folder, WeightsVariant.FP32);
    }

    /**
     * A view of one component folder on its own: {@code component}'s config and weights are read from
     * {@code folder} itself; asking for any other component is an error.
     */
    public static ModelFolder component(Component component, Path folder, WeightsVariant variant) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFolderException(folder, component.folder() + " folder not found (expected a folder holding "
                    + component.configFile() + " and " + variant.apply(component.weightsFile()) + ")");
        }
        return new ModelFolder(folder, null, component, variant);
    }

    /** The model folder, or for a {@link #component} view the component folder. */
    public Path root() { return root; }

    /** The folder's model_index.json; a {@link #component} view has none (ModelFolderException). */
    public ModelIndex index() {
        if (index == null) {
            throw new ModelFolderException(root, "a single " + only.folder() + " folder has no " + MODEL_INDEX
                    + "; open the model folder above it");
        }
        return index;
    }

    public WeightsVariant variant() { return variant; }

    /** Whether the component's folder exists (nothing is read). */
    public boolean has(String component) {
        if (only != null) return only.folder().equals(component);
        return Files.isDirectory(root.resolve(component));
    }

    public boolean has(Component component) { return has(component.folder()); }

    /** Where the component's files are: {@code <root>/<folder>}, or the root of a {@link #component} view. */
    public Path folder(Component component) {
        return componentDir(component.folder(), component.configFile() + " and weights");
    }

    /** The component's config file (checked to exist only when read). */
    public Path configFile(Component component) {
        return folder(component).resolve(component.configFile());
    }

    /** unet/config.json. */
    public UNetConfig unet() {
        return cached("config:" + UNET, () -> Configs.read(configFile(Component.UNET), UNetConfig.class));
    }

    /** vae/config.json. */
    public VaeConfig vae() {
        return cached("config:" + VAE, () -> Configs.read(configFile(Component.VAE), VaeConfig.class));
    }

    /** text_encoder/config.json. */
    public ClipTextConfig textEncoder() {
        return cached("config:" + TEXT_ENCODER,
                () -> Configs.read(configFile(Component.TEXT_ENCODER), ClipTextConfig.class));
    }

    /** scheduler/scheduler_config.json. */
    public SchedulerConfig scheduler() {
        return cached("config:" + SCHEDULER, () -> Configs.read(
                componentDir(SCHEDULER, SCHEDULER_CONFIG).resolve(SCHEDULER_CONFIG), SchedulerConfig.class));
    }

    /** The tokenizer/ files. */
    public TokenizerFiles tokenizer() {
        return cached("tokenizer", () -> TokenizerFiles.in(componentDir(TOKENIZER,
                TokenizerFiles.VOCAB + " and " + TokenizerFiles.MERGES)));
    }

    public WeightFiles unetWeights() { return weights(Component.UNET); }

    public WeightFiles vaeWeights() { return weights(Component.VAE); }

    public WeightFiles textEncoderWeights() { return weights(Component.TEXT_ENCODER); }

    /** A component's safetensors weights (single file or shards), honouring the variant. */
    public WeightFiles weights(Component component) {
        return weights(component.folder(), component.weightsStems());
    }

    /**
     * Any component's safetensors weights by folder name, e.g. one this library has no network for:
     * diffusion_pytorch_model* or model*, honouring the variant.
     */
    public WeightFiles weights(String component) {
        Component known = Component.byFolder(component);
        return known != null ? weights(known) : weights(component, Component.ANY_WEIGHTS_STEM);
    }

    private WeightFiles weights(String component, List<String> stems) {
        return cached("weights:" + component, () -> WeightsResolver.resolve(
                componentDir(component, "its config and " + String.join(" or ",
                        stems.stream().map(b -> variant.apply(b + ".safetensors")).toList())),
                component, stems, variant));
    }

    /** The component's folder, or an error naming it, what it should hold and what the index says. */
    private Path componentDir(String component, String expected) {
        if (only != null) {
            if (only.folder().equals(component)) return root;
            throw new ModelFolderException(root, "this is a single " + only.folder() + " folder, it has no "
                    + component + "; open the whole model folder to load " + component);
        }
        Path dir = root.resolve(component);
        if (Files.isDirectory(dir)) return dir;
        String declared = index.component(component)
                .map(c -> MODEL_INDEX + " declares " + component + " = " + c.library() + " " + c.className())
                .orElse(index.disabled().contains(component)
                        ? MODEL_INDEX + " declares " + component + " as [null, null]: this pipeline has none"
                        : MODEL_INDEX + " does not list " + component + " either");
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

package dev.adi4j.core.model;

import java.util.List;

/**
 * The weight-bearing components of a diffusers model folder and their file names: the one place that says
 * where a network's config and weights live, for the loaders ({@link ModelFolder}) and the converter alike.
 */
public enum Component {
    UNET("unet", "diffusion_pytorch_model"),
    VAE("vae", "diffusion_pytorch_model"),
    TEXT_ENCODER("text_encoder", "model");

    /** Every component's config file name (diffusers and transformers agree). */
    public static final String CONFIG_FILE = "config.json";
    /** Weights stems, diffusers' then transformers': tried in this order for a folder not listed here. */
    static final List<String> ANY_WEIGHTS_STEM = List.of("diffusion_pytorch_model", "model");

    private final String folder;
    private final String weightsStem;

    Component(String folder, String weightsStem) {
        this.folder = folder;
        this.weightsStem = weightsStem;
    }

    /** Sub-folder name in a diffusers model folder, e.g. {@code unet}. */
    public String folder() { return folder; }

    public String configFile() { return CONFIG_FILE; }

    /** Weights base name the library that saves this component uses, e.g. {@code diffusion_pytorch_model}. */
    public String weightsStem() { return weightsStem; }

    /** The fp32, single-file weights name, e.g. {@code diffusion_pytorch_model.safetensors}. */
    public String weightsFile() { return weightsStem + ".safetensors"; }

    /**
     * Stems the resolver accepts, this component's own first. The other library's stem is accepted too
     * because folders re-saved by hand are found with either (and adi4j always did read both).
     */
    public List<String> weightsStems() {
        return weightsStem.equals(ANY_WEIGHTS_STEM.get(0)) ? ANY_WEIGHTS_STEM
                : List.of(weightsStem, ANY_WEIGHTS_STEM.get(0));
    }

    /** The component stored in sub-folder {@code folder}, or null for any other name. */
    public static Component byFolder(String folder) {
        for (Component c : values()) if (c.folder.equals(folder)) return c;
        return null;
    }
}

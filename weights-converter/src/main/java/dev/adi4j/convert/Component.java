package dev.adi4j.convert;

/** The weight-bearing sub-folders of a diffusers model folder. */
public enum Component {
    UNET("unet", "diffusion_pytorch_model", "config.json"),
    VAE("vae", "diffusion_pytorch_model", "config.json"),
    TEXT_ENCODER("text_encoder", "model", "config.json");

    private final String folder;
    private final String weightsStem;
    private final String configFile;

    Component(String folder, String weightsStem, String configFile) {
        this.folder = folder;
        this.weightsStem = weightsStem;
        this.configFile = configFile;
    }

    /** Sub-folder name in a diffusers model folder. */
    public String folder() { return folder; }

    /** Weights file name adi4j reads (and writes), e.g. {@code diffusion_pytorch_model.safetensors}. */
    public String weightsFile() { return weightsStem + ".safetensors"; }

    public String configFile() { return configFile; }
}

package dev.adi4j.core.model;

/** Which stored precision of a component's weights to use when a folder holds both. */
public enum WeightsVariant {
    /** {@code <name>.safetensors}; falls back to the fp16 file (with a note) when only that exists. */
    FP32(""),
    /** {@code <name>.fp16.safetensors}; falls back to the fp32 file (with a note) when only that exists. */
    FP16("fp16");

    private final String suffix;

    WeightsVariant(String suffix) { this.suffix = suffix; }

    /** The diffusers/transformers variant tag inserted before the last extension ("" for fp32). */
    public String tag() { return suffix; }

    /** Inserts the tag before the last extension, as diffusers' {@code _add_variant} does. */
    String apply(String fileName) {
        if (suffix.isEmpty()) return fileName;
        int dot = fileName.lastIndexOf('.');
        return fileName.substring(0, dot) + "." + suffix + fileName.substring(dot);
    }

    WeightsVariant other() { return this == FP32 ? FP16 : FP32; }
}

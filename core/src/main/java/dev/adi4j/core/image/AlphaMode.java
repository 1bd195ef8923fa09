package dev.adi4j.core.image;

/** What to do with an alpha channel when an image is turned into RGB. */
public enum AlphaMode {
    /** Blend onto a white background: transparent areas become white (what a viewer shows). */
    COMPOSITE_ON_WHITE,
    /**
     * Ignore alpha and keep the stored colour of every pixel, as PIL's {@code convert("RGB")} in the diffusers
     * training scripts does; fully transparent pixels then show whatever colour they hold (often black).
     */
    DROP
}

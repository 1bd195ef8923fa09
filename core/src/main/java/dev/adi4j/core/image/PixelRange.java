package dev.adi4j.core.image;

/** The value range a float image tensor uses for black..white. */
public enum PixelRange {
    /** [-1, 1]: VAE input/output space ({@code x = v/127.5 - 1}). */
    MINUS_ONE_TO_ONE,
    /** [0, 1]: diffusers' post-processed images ({@code x = v/255}). */
    ZERO_TO_ONE;

    /** Maps a tensor value to an 8-bit level: clamp, scale, round half to even (numpy's {@code round}). */
    int toByte(float x) {
        float unit = this == MINUS_ONE_TO_ONE ? x / 2f + 0.5f : x;
        unit = Math.max(0f, Math.min(1f, unit));
        return (int) Math.rint(unit * 255f);
    }

    /** Maps an 8-bit level to a tensor value. */
    float fromByte(int v) {
        return this == MINUS_ONE_TO_ONE ? v / 127.5f - 1f : v / 255f;
    }
}

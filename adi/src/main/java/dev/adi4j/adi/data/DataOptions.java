package dev.adi4j.adi.data;

/**
 * How an action folder is turned into training examples.
 *
 * @param resolution      side of the square training images: shorter side resized to it, then centre-cropped
 * @param randomFlip      mirror images horizontally on some draws; off by default because a mirrored image turns a
 *                        right-handed action into a left-handed one, which is a different action
 * @param requireCaptions every image must have a caption (for templates that all use {@code {caption}})
 * @param seed            seeds the per-draw flip decision
 */
public record DataOptions(int resolution, boolean randomFlip, boolean requireCaptions, long seed) {
    /** ADI needs a context-different partner for every anchor: another image of the same action. */
    public static final int MIN_IMAGES = 2;

    public DataOptions {
        if (resolution <= 0) throw new IllegalArgumentException("resolution must be positive, got " + resolution);
    }

    /** No flip, captions optional, seed 0. */
    public static DataOptions defaults(int resolution) {
        return new DataOptions(resolution, false, false, 0L);
    }

    public DataOptions withRandomFlip(boolean on) {
        return new DataOptions(resolution, on, requireCaptions, seed);
    }

    public DataOptions withRequireCaptions(boolean on) {
        return new DataOptions(resolution, randomFlip, on, seed);
    }

    public DataOptions withSeed(long s) {
        return new DataOptions(resolution, randomFlip, requireCaptions, s);
    }
}

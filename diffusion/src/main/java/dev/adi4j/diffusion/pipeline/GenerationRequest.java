package dev.adi4j.diffusion.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One text-to-image request. {@code sampler} null means the model folder's own scheduler; image i uses seed
 * {@code seed + i} for its initial latents (and for a stochastic sampler's noise).
 */
public record GenerationRequest(String prompt, String negativePrompt, int width, int height, int steps,
                                double guidance, String sampler, long seed, int numImages) {
    public GenerationRequest {
        if (prompt == null) throw new IllegalArgumentException("a prompt is required");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("width and height must be positive multiples of 8, got " + width + "x" + height);
        }
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (numImages < 1) throw new IllegalArgumentException("the number of images must be at least 1, got " + numImages);
    }

    /**
     * The settings line of the PNG {@code parameters} chunk (A1111 keys), shared by {@code adi generate} and
     * {@code adi serve} so that both describe an image the same way.
     */
    public Map<String, String> settings(String modelName) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("Steps", Integer.toString(steps));
        s.put("Sampler", sampler == null ? "model default" : sampler);
        s.put("CFG scale", Double.toString(guidance));
        s.put("Seed", Long.toString(seed));
        s.put("Size", width + "x" + height);
        s.put("Model", modelName);
        return s;
    }
}

package dev.adi4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A checked {@code POST /sdapi/v1/txt2img} body: the adi4j request, the A1111 sampler name it was asked with, and the
 * fields adi4j ignored. {@code parameters} echoes the body with the effective values of the fields used, as A1111 does.
 */
public record Txt2Img(GenerationRequest request, String samplerName, int batchSize, int nIter, List<String> ignored,
                      ObjectNode parameters) {
    static final Set<String> SUPPORTED = Set.of("prompt", "negative_prompt", "steps", "cfg_scale", "sampler_name",
            "sampler_index", "seed", "width", "height", "batch_size", "n_iter");

    /**
     * What the loaded model allows: sides multiples of {@code factor} (the VAE's) and at least {@code minSide}
     * (the UNet's coarsest level, the rule {@code adi generate} applies), {@code defaultSide} when a side is absent; no more steps than the
     * scheduler's training timesteps (a sampler cannot space more).
     */
    public record ModelLimits(int factor, int minSide, int defaultSide, int trainTimesteps) {
    }

    /** Checks a body against the limits and the loaded identifiers; a bad field is a 422 naming it. */
    public static Txt2Img parse(JsonNode body, ServeConfig cfg, ModelLimits model, Identifiers identifiers) {
        if (body == null || !body.isObject()) throw new ApiException(422, "body", "body: expected a JSON object");
        String prompt = string(body, "prompt", "");
        String negative = string(body, "negative_prompt", "");
        for (String f : new String[]{"prompt", "negative_prompt"}) {
            try {
                identifiers.checkPlaceholders("the loaded identifiers", f.equals("prompt") ? prompt : negative);
            } catch (IllegalArgumentException e) {
                throw ApiException.field(f, e.getMessage());
            }
        }
        int steps = integer(body, "steps", 50, 1, Math.min(cfg.maxSteps(), model.trainTimesteps()));
        double cfgScale = number(body, "cfg_scale", 7.0, 0, 100);
        String samplerName = null;
        String samplerField = body.hasNonNull("sampler_name") ? "sampler_name" : "sampler_index";
        String asked = string(body, samplerField, null);
        String adi4jSampler = null;
        if (asked != null && !asked.isBlank()) {
            A1111Samplers.Entry e = A1111Samplers.find(asked).orElseThrow(() -> ApiException.field(samplerField,
                    "unknown sampler '" + asked + "'; supported: " + A1111Samplers.names()));
            samplerName = e.name();
            adi4jSampler = e.adi4jName();
        }
        long seed = longValue(body, "seed", -1, -1, Long.MAX_VALUE - cfg.maxImages());
        // A1111 draws a random seed below 2^32 - 1 for -1; the drawn seed is reported in info
        if (seed == -1) seed = ThreadLocalRandom.current().nextLong(4294967294L);
        int width = side(body, "width", model);
        int height = side(body, "height", model);
        if ((long) width * height > cfg.maxPixels()) {
            throw ApiException.field("width", width + "x" + height + " is " + (long) width * height
                    + " pixels, this server allows at most " + cfg.maxPixels() + " (--max-pixels)");
        }
        int batch = integer(body, "batch_size", 1, 1, cfg.maxImages());
        int nIter = integer(body, "n_iter", 1, 1, cfg.maxImages());
        if (batch * nIter > cfg.maxImages()) {
            throw ApiException.field("n_iter", "batch_size x n_iter = " + batch * nIter + ", this server allows at most "
                    + cfg.maxImages() + " images a request");
        }
        List<String> ignored = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SUPPORTED.contains(f)) ignored.add(f);
        }
        ObjectNode params = ((ObjectNode) body).deepCopy();
        params.put("prompt", prompt).put("negative_prompt", negative).put("steps", steps).put("cfg_scale", cfgScale)
                .put("sampler_name", samplerName).put("width", width).put("height", height)
                .put("batch_size", batch).put("n_iter", nIter);
        if (!params.has("seed")) params.put("seed", -1);
        GenerationRequest r = new GenerationRequest(prompt, negative, width, height, steps, cfgScale, adi4jSampler,
                seed, batch * nIter);
        return new Txt2Img(r, samplerName, batch, nIter, List.copyOf(ignored), params);
    }

    private static int side(JsonNode body, String field, ModelLimits m) {
        int v = integer(body, field, m.defaultSide(), 1, Integer.MAX_VALUE);
        if (v % m.factor() != 0 || v < m.minSide()) {
            throw ApiException.field(field, v + " must be a multiple of " + m.factor() + " and at least " + m.minSide()
                    + " for this model");
        }
        return v;
    }

    private static String string(JsonNode body, String field, String def) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return def;
        if (!n.isTextual()) throw ApiException.field(field, "expected a string, got " + kind(n));
        return n.textValue();
    }

    private static int integer(JsonNode body, String field, int def, int min, int max) {
        return (int) longValue(body, field, def, min, max);
    }

    private static long longValue(JsonNode body, String field, long def, long min, long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return def;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw ApiException.field(field, "expected an integer, got " + kind(n));
        long v = n.longValue();
        if (v < min || v > max) throw ApiException.field(field, v + " is outside " + min + ".." + max);
        return v;
    }

    private static double number(JsonNode body, String field, double def, double min, double max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return def;
        if (!n.isNumber()) throw ApiException.field(field, "expected a number, got " + kind(n));
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) throw ApiException.field(field, v + " is outside " + min + ".." + max);
        return v;
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> n.isIntegralNumber() ? "an integer out of range" : "a fractional number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

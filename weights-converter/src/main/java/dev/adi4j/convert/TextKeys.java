package dev.adi4j.convert;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rename rules of the OpenCLIP text tower ({@code cond_stage_model.model.*}) to transformers' CLIPTextModel,
 * as in diffusers' {@code create_text_encoder_from_open_clip_checkpoint}. SD 2.x conditions on the
 * penultimate layer, so the last resblock, {@code text_projection} and {@code logit_scale} are dropped; the
 * fused attention input projection is split into q, k and v.
 */
public final class TextKeys {
    /** Prefix of text encoder keys in a single-file checkpoint. */
    public static final String PREFIX = "cond_stage_model.model.";
    /**
     * transformers' optional int64 buffer (an arange of the positions). Not written: safetensors output is
     * float only, and adi4j's text encoder does not read it.
     */
    public static final String POSITION_IDS = "text_model.embeddings.position_ids";

    private static final Pattern RESBLOCK = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");

    private TextKeys() {
    }

    /**
     * Maps one key (without {@link #PREFIX}); {@code lastResblock} is the highest resblock index in the file
     * (that block is unused by SD 2.x).
     */
    public static KeyMapping map(String key, int lastResblock) {
        switch (key) {
            case "token_embedding.weight" -> { return KeyMapping.one("text_model.embeddings.token_embedding.weight"); }
            case "positional_embedding" -> { return KeyMapping.one("text_model.embeddings.position_embedding.weight"); }
            case "ln_final.weight", "ln_final.bias" -> {
                return KeyMapping.one("text_model.final_layer_norm." + key.substring("ln_final.".length()));
            }
            case "text_projection" -> { return new KeyMapping.Dropped("text projection (SD 2.x uses the hidden states)"); }
            case "logit_scale" -> { return new KeyMapping.Dropped("CLIP logit scale (training only)"); }
            default -> { }
        }
        Matcher m = RESBLOCK.matcher(key);
        if (!m.matches()) {
            return new KeyMapping.Unknown("not an OpenCLIP text key (token_embedding, positional_embedding, "
                    + "transformer.resblocks.N.*, ln_final, text_projection, logit_scale)");
        }
        int layer = Integer.parseInt(m.group(1));
        if (layer == lastResblock) {
            return new KeyMapping.Dropped("last resblock " + layer + " (SD 2.x uses the penultimate layer)");
        }
        String target = "text_model.encoder.layers." + layer + ".";
        String rest = m.group(2);
        switch (rest) {
            case "attn.in_proj_weight", "attn.in_proj_bias" -> {
                String kind = rest.endsWith("weight") ? "weight" : "bias";
                return new KeyMapping.Mapped(List.of(
                        new Rename(target + "self_attn.q_proj." + kind, Transform.SPLIT_Q),
                        new Rename(target + "self_attn.k_proj." + kind, Transform.SPLIT_K),
                        new Rename(target + "self_attn.v_proj." + kind, Transform.SPLIT_V)));
            }
            default -> { }
        }
        String[][] names = {{"ln_1.", "layer_norm1."}, {"ln_2.", "layer_norm2."}, {"attn.out_proj.", "self_attn.out_proj."},
                {"mlp.c_fc.", "mlp.fc1."}, {"mlp.c_proj.", "mlp.fc2."}};
        for (String[] n : names) {
            if (rest.startsWith(n[0]) && UnetKeys.isWeightOrBias(rest.substring(n[0].length()))) {
                return KeyMapping.one(target + n[1] + rest.substring(n[0].length()));
            }
        }
        return new KeyMapping.Unknown("not an OpenCLIP resblock sub-key (ln_1, ln_2, attn.in_proj_weight/bias, "
                + "attn.out_proj, mlp.c_fc, mlp.c_proj)");
    }
}

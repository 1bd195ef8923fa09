package dev.adi4j.convert;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rename rules of the LDM autoencoder ({@code first_stage_model.*}) to diffusers' AutoencoderKL, as in
 * diffusers' {@code convert_ldm_vae_checkpoint}. The decoder's LDM levels count from the highest resolution
 * ({@code up.0} is the last one run), diffusers' {@code up_blocks} in execution order, hence the reversal.
 * The mid-block attention's 1x1 convolutions become linear weights.
 */
public final class VaeKeys {
    /** Prefix of VAE keys in a single-file checkpoint. */
    public static final String PREFIX = "first_stage_model.";

    private static final Pattern LEVEL = Pattern.compile("(encoder|decoder)\\.(down|up)\\.(\\d+)\\.(.+)");
    private static final Pattern MID = Pattern.compile("(encoder|decoder)\\.mid\\.(block_1|block_2|attn_1)\\.(.+)");
    private static final Pattern PLAIN = Pattern.compile("(encoder\\.|decoder\\.)?(conv_in|conv_out|norm_out|quant_conv|post_quant_conv)\\.(weight|bias)");

    private VaeKeys() {
    }

    /** Maps one key (without {@link #PREFIX}) of a VAE with {@code levels} resolution levels. */
    public static KeyMapping map(String key, int levels) {
        Matcher p = PLAIN.matcher(key);
        if (p.matches()) {
            String part = p.group(1) == null ? "" : p.group(1);
            boolean sided = !part.isEmpty();
            boolean quant = p.group(2).endsWith("quant_conv");
            if (sided == quant) return new KeyMapping.Unknown(EXPECTED);
            String name = p.group(2).equals("norm_out") ? "conv_norm_out" : p.group(2);
            return KeyMapping.one(part + name + "." + p.group(3));
        }
        Matcher m = MID.matcher(key);
        if (m.matches()) return mid(m.group(1) + ".mid_block.", m.group(2), m.group(3));
        Matcher l = LEVEL.matcher(key);
        if (l.matches() && (l.group(1).equals("encoder") == l.group(2).equals("down"))) {
            int level = Integer.parseInt(l.group(3));
            if (level >= levels) {
                return new KeyMapping.Unknown("level " + level + " does not exist in a VAE with " + levels + " levels");
            }
            boolean encoder = l.group(1).equals("encoder");
            String block = l.group(1) + (encoder ? ".down_blocks." + level : ".up_blocks." + (levels - 1 - level)) + ".";
            return level(block, encoder ? "downsample.conv." : "upsample.conv.", l.group(4),
                    encoder ? "downsamplers.0.conv." : "upsamplers.0.conv.");
        }
        return new KeyMapping.Unknown(EXPECTED);
    }

    private static final String EXPECTED = "not a VAE key of the LDM layout ({encoder,decoder}.{conv_in,conv_out,norm_out}, "
            + "encoder.down.I.*, decoder.up.I.*, {encoder,decoder}.mid.*, quant_conv, post_quant_conv)";

    private static KeyMapping level(String block, String sampler, String rest, String samplerTarget) {
        if (rest.startsWith(sampler) && UnetKeys.isWeightOrBias(rest.substring(sampler.length()))) {
            return KeyMapping.one(block + samplerTarget + rest.substring(sampler.length()));
        }
        Matcher r = Pattern.compile("block\\.(\\d+)\\.(.+)").matcher(rest);
        return r.matches() ? resnet(block + "resnets." + r.group(1) + ".", r.group(2)) : new KeyMapping.Unknown(EXPECTED);
    }

    private static KeyMapping mid(String target, String part, String rest) {
        if (part.equals("block_1")) return resnet(target + "resnets.0.", rest);
        if (part.equals("block_2")) return resnet(target + "resnets.1.", rest);
        String[][] names = {{"norm.", "group_norm."}, {"q.", "to_q."}, {"k.", "to_k."}, {"v.", "to_v."},
                {"proj_out.", "to_out.0."}};
        for (String[] n : names) {
            if (rest.startsWith(n[0]) && UnetKeys.isWeightOrBias(rest.substring(n[0].length()))) {
                String tail = rest.substring(n[0].length());
                boolean conv = !n[0].equals("norm.") && tail.equals("weight");
                String name = target + "attentions.0." + n[1] + tail;
                return conv ? KeyMapping.one(name, Transform.SQUEEZE_1X1) : KeyMapping.one(name);
            }
        }
        return new KeyMapping.Unknown("not a VAE attention sub-key (norm, q, k, v, proj_out)");
    }

    private static KeyMapping resnet(String target, String rest) {
        int dot = rest.indexOf('.');
        String name = dot < 0 ? "" : rest.substring(0, dot);
        String tail = dot < 0 ? "" : rest.substring(dot + 1);
        if (!UnetKeys.isWeightOrBias(tail)) return new KeyMapping.Unknown(EXPECTED);
        return switch (name) {
            case "norm1", "conv1", "norm2", "conv2" -> KeyMapping.one(target + rest);
            case "nin_shortcut" -> KeyMapping.one(target + "conv_shortcut." + tail);
            default -> new KeyMapping.Unknown("not a VAE resnet sub-key (norm1, conv1, norm2, conv2, nin_shortcut)");
        };
    }
}

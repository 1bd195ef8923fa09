package dev.adi4j.convert;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rename rules of the LDM UNet ({@code model.diffusion_model.*}) to diffusers' UNet2DConditionModel, as in
 * diffusers' {@code convert_ldm_unet_checkpoint}. LDM numbers the down path as one flat list
 * {@code input_blocks.k} (k = 0 is conv_in; then per level {@code layers_per_block} resnet[+attention]
 * entries and one downsampler entry, except after the last level) and the up path as
 * {@code output_blocks.k} ({@code layers_per_block + 1} entries per level, the last of a level also holding
 * the upsampler).
 */
public final class UnetKeys {
    /** Prefix of UNet keys in a single-file checkpoint. */
    public static final String PREFIX = "model.diffusion_model.";

    private static final Pattern BLOCK = Pattern.compile("(input_blocks|middle_block|output_blocks)\\.(\\d+)\\.(?:(\\d+)\\.)?(.+)");
    private static final Pattern BLOCK_MID = Pattern.compile("middle_block\\.(\\d+)\\.(.+)");

    private UnetKeys() {
    }

    /**
     * Maps one key (without {@link #PREFIX}) for a UNet with {@code layersPerBlock} resnets per down level.
     * Attention sub-keys (norm, proj_in, transformer_blocks.*, proj_out) keep their names: SD 2.x already uses
     * diffusers' names there.
     */
    public static KeyMapping map(String key, int layersPerBlock) {
        switch (prefixOf(key)) {
            case "time_embed.0." -> { return KeyMapping.one("time_embedding.linear_1." + rest(key)); }
            case "time_embed.2." -> { return KeyMapping.one("time_embedding.linear_2." + rest(key)); }
            case "out.0." -> { return KeyMapping.one("conv_norm_out." + rest(key)); }
            case "out.2." -> { return KeyMapping.one("conv_out." + rest(key)); }
            default -> { }
        }
        Matcher mid = BLOCK_MID.matcher(key);
        if (mid.matches()) return middle(Integer.parseInt(mid.group(1)), mid.group(2));
        Matcher m = BLOCK.matcher(key);
        if (!m.matches() || m.group(3) == null) return new KeyMapping.Unknown(EXPECTED);
        int k = Integer.parseInt(m.group(2));
        int j = Integer.parseInt(m.group(3));
        String rest = m.group(4);
        return m.group(1).equals("input_blocks") ? input(k, j, rest, layersPerBlock) : output(k, j, rest, layersPerBlock);
    }

    private static final String EXPECTED = "not a UNet key of the LDM layout (time_embed.{0,2}, input_blocks.K.J, "
            + "middle_block.{0,1,2}, output_blocks.K.J, out.{0,2})";

    private static KeyMapping input(int k, int j, String rest, int layers) {
        if (k == 0) {
            return j == 0 && isWeightOrBias(rest) ? KeyMapping.one("conv_in." + rest) : new KeyMapping.Unknown(EXPECTED);
        }
        int level = (k - 1) / (layers + 1);
        int index = (k - 1) % (layers + 1);
        String down = "down_blocks." + level + ".";
        if (index == layers) {
            return j == 0 && rest.startsWith("op.")
                    ? KeyMapping.one(down + "downsamplers.0.conv." + rest.substring(3))
                    : new KeyMapping.Unknown("input_blocks." + k + " should be a downsampler (input_blocks." + k + ".0.op.*)"
                    + " with layers_per_block " + layers);
        }
        if (j == 0) return resnet(down + "resnets." + index + ".", rest);
        if (j == 1) return KeyMapping.one(down + "attentions." + index + "." + rest);
        return new KeyMapping.Unknown(EXPECTED);
    }

    private static KeyMapping middle(int j, String rest) {
        return switch (j) {
            case 0 -> resnet("mid_block.resnets.0.", rest);
            case 1 -> KeyMapping.one("mid_block.attentions.0." + rest);
            case 2 -> resnet("mid_block.resnets.1.", rest);
            default -> new KeyMapping.Unknown(EXPECTED);
        };
    }

    private static KeyMapping output(int k, int j, String rest, int layers) {
        String up = "up_blocks." + (k / (layers + 1)) + ".";
        int index = k % (layers + 1);
        if (j == 0) return resnet(up + "resnets." + index + ".", rest);
        // The upsampler is entry 1 of a level's last output block without attention, entry 2 with attention.
        if ((j == 1 || j == 2) && rest.startsWith("conv.")) {
            return KeyMapping.one(up + "upsamplers.0.conv." + rest.substring(5));
        }
        if (j == 1) return KeyMapping.one(up + "attentions." + index + "." + rest);
        return new KeyMapping.Unknown(EXPECTED);
    }

    private static KeyMapping resnet(String target, String rest) {
        String[][] names = {
                {"in_layers.0.", "norm1."}, {"in_layers.2.", "conv1."}, {"emb_layers.1.", "time_emb_proj."},
                {"out_layers.0.", "norm2."}, {"out_layers.3.", "conv2."}, {"skip_connection.", "conv_shortcut."}};
        for (String[] n : names) {
            if (rest.startsWith(n[0]) && isWeightOrBias(rest.substring(n[0].length()))) {
                return KeyMapping.one(target + n[1] + rest.substring(n[0].length()));
            }
        }
        return new KeyMapping.Unknown("not a resnet sub-key (in_layers.{0,2}, emb_layers.1, out_layers.{0,3}, "
                + "skip_connection)");
    }

    static boolean isWeightOrBias(String s) {
        return s.equals("weight") || s.equals("bias");
    }

    private static String prefixOf(String key) {
        int first = key.indexOf('.');
        int second = first < 0 ? -1 : key.indexOf('.', first + 1);
        return second < 0 ? key : key.substring(0, second + 1);
    }

    private static String rest(String key) {
        return key.substring(prefixOf(key).length());
    }
}

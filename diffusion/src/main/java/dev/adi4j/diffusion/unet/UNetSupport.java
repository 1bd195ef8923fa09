package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.UNetConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which UNet configurations adi4j implements; anything else is refused with every reason listed. */
final class UNetSupport {
    private static final Set<String> DOWN = Set.of("CrossAttnDownBlock2D", "DownBlock2D");
    private static final Set<String> UP = Set.of("CrossAttnUpBlock2D", "UpBlock2D");

    private UNetSupport() {
    }

    static void check(UNetConfig c) {
        List<String> problems = new ArrayList<>();
        c.downBlockTypes().stream().filter(t -> !DOWN.contains(t)).forEach(t -> problems.add("down block type " + t));
        c.upBlockTypes().stream().filter(t -> !UP.contains(t)).forEach(t -> problems.add("up block type " + t));
        if (!"UNetMidBlock2DCrossAttn".equals(c.midBlockType())) problems.add("mid_block_type " + c.midBlockType());
        if (!Boolean.TRUE.equals(c.useLinearProjection())) problems.add("use_linear_projection false (SD 1.x conv projections)");
        if (!"default".equals(c.resnetTimeScaleShift())) problems.add("resnet_time_scale_shift " + c.resnetTimeScaleShift());
        if (!"positional".equals(c.timeEmbeddingType())) problems.add("time_embedding_type " + c.timeEmbeddingType());
        if (!"silu".equals(c.actFn())) problems.add("act_fn " + c.actFn());
        if (c.convInKernel() != 3 || c.convOutKernel() != 3) problems.add("conv_in/conv_out kernel other than 3");
        if (Boolean.TRUE.equals(c.onlyCrossAttention())) problems.add("only_cross_attention");
        if (Boolean.TRUE.equals(c.dualCrossAttention())) problems.add("dual_cross_attention");
        if (c.classEmbedType() != null || c.numClassEmbeds() != null) problems.add("class embeddings");
        if (c.additionEmbedType() != null) problems.add("addition_embed_type " + c.additionEmbedType());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("unsupported UNet configuration: " + String.join(", ", problems));
        }
    }
}

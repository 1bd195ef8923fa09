package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.diffusion.nn.Conv2d;
import dev.adi4j.diffusion.nn.GroupNorm;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers VAE {@code Encoder}: conv_in, down_blocks, mid_block, conv_norm_out, SiLU, conv_out to
 * 2 x latent channels (mean and log-variance, "double_z").
 */
final class Encoder {
    private final Scope scope;
    private final Conv2d convIn;
    private final List<DownEncoderBlock2D> downBlocks = new ArrayList<>();
    private final VaeMidBlock2D midBlock;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    Encoder(Scope scope, VaeConfig c) {
        this.scope = scope;
        List<Integer> ch = c.blockOutChannels();
        int groups = c.normNumGroups();
        double eps = AutoencoderKL.NORM_EPS;
        this.convIn = new Conv2d(scope.child("conv_in"), c.inChannels(), ch.get(0), 3, 1, 1);
        long prev = ch.get(0);
        for (int i = 0; i < ch.size(); i++) {
            long out = ch.get(i);
            downBlocks.add(new DownEncoderBlock2D(scope.child("down_blocks", i), prev, out, c.layersPerBlock(),
                    groups, eps, i < ch.size() - 1));
            prev = out;
        }
        this.midBlock = new VaeMidBlock2D(scope.child("mid_block"), prev, groups, eps, c.midBlockAddAttention());
        this.normOut = new GroupNorm(scope.child("conv_norm_out"), groups, prev, eps);
        this.convOut = new Conv2d(scope.child("conv_out"), prev, 2L * c.latentChannels(), 3, 1, 1);
    }

    /** image [B, in, H, W] -> [B, 2 x latent, H/8, W/8] (before quant_conv). */
    Tensor forward(Tensor image) {
        Tensor h = convIn.forward(image);
        for (DownEncoderBlock2D b : downBlocks) h = b.forward(h);
        h = midBlock.forward(h);
        return convOut.forward(scope.ops().silu(normOut.forward(h)));
    }
}

package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.diffusion.nn.Conv2d;
import dev.adi4j.diffusion.nn.GroupNorm;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers VAE {@code Decoder}: conv_in, mid_block, up_blocks over the reversed channel list (each with
 * layers_per_block + 1 resnets), conv_norm_out, SiLU, conv_out.
 */
final class Decoder {
    private final Scope scope;
    private final Conv2d convIn;
    private final VaeMidBlock2D midBlock;
    private final List<UpDecoderBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv2d convOut;

    Decoder(Scope scope, VaeConfig c) {
        this.scope = scope;
        List<Integer> ch = c.blockOutChannels();
        int n = ch.size();
        int groups = c.normNumGroups();
        double eps = AutoencoderKL.NORM_EPS;
        long top = ch.get(n - 1);
        this.convIn = new Conv2d(scope.child("conv_in"), c.latentChannels(), top, 3, 1, 1);
        this.midBlock = new VaeMidBlock2D(scope.child("mid_block"), top, groups, eps, c.midBlockAddAttention());
        long prev = top;
        for (int i = 0; i < n; i++) {
            long out = ch.get(n - 1 - i);
            upBlocks.add(new UpDecoderBlock2D(scope.child("up_blocks", i), prev, out, c.layersPerBlock() + 1,
                    groups, eps, i < n - 1));
            prev = out;
        }
        this.normOut = new GroupNorm(scope.child("conv_norm_out"), groups, prev, eps);
        this.convOut = new Conv2d(scope.child("conv_out"), prev, c.outChannels(), 3, 1, 1);
    }

    /** latent [B, latent, h, w] (after post_quant_conv) -> image [B, out, h x 2^(n-1), w x 2^(n-1)]. */
    Tensor forward(Tensor z) {
        Tensor h = midBlock.forward(convIn.forward(z));
        for (UpDecoderBlock2D b : upBlocks) h = b.forward(h);
        return convOut.forward(scope.ops().silu(normOut.forward(h)));
    }
}

package dev.adi4j.diffusion.vae;

import dev.adi4j.diffusion.nn.Attention;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;

/**
 * diffusers {@code UNetMidBlock2D} as the VAE builds it: {@code resnets.0}, {@code attentions.0},
 * {@code resnets.1}, no time embedding. The attention is single-headed over all channels
 * (attention_head_dim = channels), with q/k/v biases, its own {@code group_norm} and a residual connection.
 */
final class VaeMidBlock2D {
    private final ResnetBlock2D first;
    private final Attention attention;
    private final ResnetBlock2D second;

    VaeMidBlock2D(Scope scope, long channels, int groups, double eps, boolean addAttention) {
        this.first = new ResnetBlock2D(scope.child("resnets", 0), channels, channels, 0, groups, eps, 1.0);
        this.attention = addAttention
                ? new Attention(scope.child("attentions", 0), channels, channels, 1, channels,
                        new Attention.Options(true, groups, eps, true))
                : null;
        this.second = new ResnetBlock2D(scope.child("resnets", 1), channels, channels, 0, groups, eps, 1.0);
    }

    Tensor forward(Tensor x) {
        Tensor h = first.forward(x, null);
        if (attention != null) h = attention.forwardSpatial(h);
        return second.forward(h, null);
    }
}

package dev.adi4j.diffusion.text;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.diffusion.nn.LayerNorm;
import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SDVariable;

/** transformers {@code CLIPEncoderLayer}: pre-norm self-attention and MLP, each with a residual. */
final class ClipEncoderLayer {
    private final Ops ops;
    private final LayerNorm layerNorm1;
    private final ClipAttention selfAttn;
    private final LayerNorm layerNorm2;
    private final ClipMlp mlp;

    ClipEncoderLayer(Scope scope, ClipTextConfig cfg) {
        this.ops = scope.ops();
        long dim = cfg.hiddenSize();
        this.layerNorm1 = new LayerNorm(scope.child("layer_norm1"), dim, cfg.layerNormEps());
        this.selfAttn = new ClipAttention(scope.child("self_attn"), dim, cfg.numAttentionHeads());
        this.layerNorm2 = new LayerNorm(scope.child("layer_norm2"), dim, cfg.layerNormEps());
        this.mlp = new ClipMlp(scope.child("mlp"), dim, cfg.intermediateSize(), cfg.hiddenAct());
    }

    Tensor forward(Tensor x, SDVariable causalMask) {
        x = ops.add(x, selfAttn.forward(layerNorm1.forward(x), causalMask));
        return ops.add(x, mlp.forward(layerNorm2.forward(x)));
    }
}

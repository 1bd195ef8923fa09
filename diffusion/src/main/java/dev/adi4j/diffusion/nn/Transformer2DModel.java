package dev.adi4j.diffusion.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code Transformer2DModel} with {@code use_linear_projection} (SD 2.x): GroupNorm (eps 1e-6),
 * flatten to tokens, linear {@code proj_in}, transformer blocks, linear {@code proj_out}, back to an image,
 * plus the input as residual.
 */
public final class Transformer2DModel {
    private final Scope scope;
    private final GroupNorm norm;
    private final Linear projIn;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();
    private final Linear projOut;
    private final long inner;

    public Transformer2DModel(Scope scope, long channels, int heads, int layers, long crossAttentionDim, int groups) {
        this.scope = scope;
        long dimHead = channels / heads;
        this.inner = heads * dimHead;
        this.norm = new GroupNorm(scope.child("norm"), groups, channels, 1e-6);
        this.projIn = new Linear(scope.child("proj_in"), channels, inner, true);
        for (int i = 0; i < layers; i++) {
            blocks.add(new BasicTransformerBlock(scope.child("transformer_blocks", i), inner, heads, dimHead,
                    crossAttentionDim));
        }
        this.projOut = new Linear(scope.child("proj_out"), inner, channels, true);
    }

    public Tensor forward(Tensor x, Tensor context) {
        Ops ops = scope.ops();
        long b = x.dim(0);
        long c = x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        Tensor tokens = ops.permute(ops.reshape(norm.forward(x), b, c, h * w), 0, 2, 1);
        Tensor hidden = projIn.forward(tokens);
        for (BasicTransformerBlock block : blocks) hidden = block.forward(hidden, context);
        Tensor out = projOut.forward(hidden);
        Tensor image = ops.reshape(ops.permute(out, 0, 2, 1), b, c, h, w);
        return ops.add(image, x);
    }
}

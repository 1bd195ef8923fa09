package dev.adi4j.diffusion.nn;

/** diffusers {@code BasicTransformerBlock}: norm1/attn1 (self), norm2/attn2 (cross), norm3/ff, each residual. */
public final class BasicTransformerBlock {
    private final Scope scope;
    private final AttentionPair attention;
    private final LayerNorm norm3;
    private final FeedForward ff;

    public BasicTransformerBlock(Scope scope, long dim, int heads, long dimHead, long crossAttentionDim) {
        this.scope = scope;
        this.attention = new AttentionPair(scope, dim, heads, dimHead, crossAttentionDim);
        this.norm3 = new LayerNorm(scope.child("norm3"), dim, 1e-5);
        this.ff = new FeedForward(scope.child("ff"), dim, dim * 4);
    }

    public Tensor forward(Tensor x, Tensor context) {
        x = attention.forward(x, context);
        return scope.ops().add(ff.forward(norm3.forward(x)), x);
    }
}

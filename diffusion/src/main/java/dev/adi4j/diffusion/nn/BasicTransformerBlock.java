package dev.adi4j.diffusion.nn;

/** diffusers {@code BasicTransformerBlock}: norm1/attn1 (self), norm2/attn2 (cross), norm3/ff, each residual. */
public final class BasicTransformerBlock {
    private final Scope scope;
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    public BasicTransformerBlock(Scope scope, long dim, int heads, long dimHead, long crossAttentionDim) {
        this.scope = scope;
        this.norm1 = new LayerNorm(scope.child("norm1"), dim, 1e-5);
        this.attn1 = new Attention(scope.child("attn1"), dim, dim, heads, dimHead, Attention.Options.TRANSFORMER);
        this.norm2 = new LayerNorm(scope.child("norm2"), dim, 1e-5);
        this.attn2 = new Attention(scope.child("attn2"), dim, crossAttentionDim, heads, dimHead, Attention.Options.TRANSFORMER);
        this.norm3 = new LayerNorm(scope.child("norm3"), dim, 1e-5);
        this.ff = new FeedForward(scope.child("ff"), dim, dim * 4);
    }

    public Tensor forward(Tensor x, Tensor context) {
        Ops ops = scope.ops();
        x = ops.add(attn1.forward(norm1.forward(x), null), x);
        x = ops.add(attn2.forward(norm2.forward(x), context), x);
        return ops.add(ff.forward(norm3.forward(x)), x);
    }
}

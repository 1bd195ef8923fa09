package dev.adi4j.diffusion.nn;

/**
 * The attention half of diffusers' {@code BasicTransformerBlock}: norm1 -> attn1 (self) + residual, then
 * norm2 -> attn2 (cross to the context) + residual. Its parameters sit under the block's own scope
 * ({@code norm1}, {@code attn1}, {@code norm2}, {@code attn2}), so the block and the block-level benchmark share
 * one definition and the same weight names.
 */
public final class AttentionPair {
    private final Scope scope;
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;

    public AttentionPair(Scope scope, long dim, int heads, long dimHead, long crossAttentionDim) {
        this.scope = scope;
        this.norm1 = new LayerNorm(scope.child("norm1"), dim, 1e-5);
        this.attn1 = new Attention(scope.child("attn1"), dim, dim, heads, dimHead, Attention.Options.TRANSFORMER);
        this.norm2 = new LayerNorm(scope.child("norm2"), dim, 1e-5);
        this.attn2 = new Attention(scope.child("attn2"), dim, crossAttentionDim, heads, dimHead, Attention.Options.TRANSFORMER);
    }

    /** @param x [B, L, dim]; @param context [B, Lc, crossAttentionDim] */
    public Tensor forward(Tensor x, Tensor context) {
        Ops ops = scope.ops();
        x = ops.add(attn1.forward(norm1.forward(x), null), x);
        return ops.add(attn2.forward(norm2.forward(x), context), x);
    }
}

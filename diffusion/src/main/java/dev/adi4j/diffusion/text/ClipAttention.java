package dev.adi4j.diffusion.text;

import dev.adi4j.diffusion.nn.Linear;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SDVariable;

/** transformers {@code CLIPAttention}: q/k/v/out projections with bias, multi-head self-attention. */
final class ClipAttention {
    private final Scope scope;
    private final int heads;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;

    ClipAttention(Scope scope, long dim, int heads) {
        this.scope = scope;
        this.heads = heads;
        this.q = new Linear(scope.child("q_proj"), dim, dim, true);
        this.k = new Linear(scope.child("k_proj"), dim, dim, true);
        this.v = new Linear(scope.child("v_proj"), dim, dim, true);
        this.out = new Linear(scope.child("out_proj"), dim, dim, true);
    }

    /** Self-attention over [B, L, D] with an additive mask (the causal mask). */
    Tensor forward(Tensor x, SDVariable additiveMask) {
        Tensor ctx = scope.ops().attention(q.forward(x), k.forward(x), v.forward(x), heads, additiveMask);
        return out.forward(ctx);
    }
}

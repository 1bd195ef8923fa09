package dev.adi4j.diffusion.nn;

/**
 * diffusers {@code Attention}: {@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}. Self-attention when
 * no context is given, cross-attention otherwise. The VAE variant adds an input {@code group_norm}, biases on
 * q/k/v and a residual connection on [B, C, H, W] input.
 */
public final class Attention {
    private final Scope scope;
    private final int heads;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final GroupNorm groupNorm;
    private final boolean residual;

    /** Options that distinguish the UNet's transformer attention from the VAE's spatial attention. */
    public record Options(boolean qkvBias, Integer groupNormGroups, double groupNormEps, boolean residual) {
        /** As in the UNet's BasicTransformerBlock: no q/k/v bias, no norm, no residual (the block adds it). */
        public static final Options TRANSFORMER = new Options(false, null, 0, false);
    }

    public Attention(Scope scope, long queryDim, long contextDim, int heads, long dimHead, Options options) {
        this.scope = scope;
        this.heads = heads;
        long inner = heads * dimHead;
        this.groupNorm = options.groupNormGroups() == null ? null
                : new GroupNorm(scope.child("group_norm"), options.groupNormGroups(), queryDim, options.groupNormEps());
        this.toQ = new Linear(scope.child("to_q"), queryDim, inner, options.qkvBias());
        this.toK = new Linear(scope.child("to_k"), contextDim, inner, options.qkvBias());
        this.toV = new Linear(scope.child("to_v"), contextDim, inner, options.qkvBias());
        this.toOut = new Linear(scope.child("to_out", 0), inner, queryDim, true);
        this.residual = options.residual();
    }

    /** Attention over a sequence [B, L, C]; {@code context} [B, Lc, Dc] or null for self-attention. */
    public Tensor forward(Tensor x, Tensor context) {
        Tensor kv = context == null ? x : context;
        Ops ops = scope.ops();
        Tensor out = toOut.forward(ops.attention(toQ.forward(x), toK.forward(kv), toV.forward(kv), heads, null));
        return residual ? ops.add(out, x) : out;
    }

    /** Spatial self-attention over an image [B, C, H, W] (the VAE mid-block attention). */
    public Tensor forwardSpatial(Tensor x) {
        Ops ops = scope.ops();
        long b = x.dim(0);
        long c = x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        Tensor normed = groupNorm == null ? x : groupNorm.forward(x);
        Tensor seq = ops.permute(ops.reshape(normed, b, c, h * w), 0, 2, 1);
        Tensor attended = toOut.forward(ops.attention(toQ.forward(seq), toK.forward(seq), toV.forward(seq), heads, null));
        Tensor back = ops.reshape(ops.permute(attended, 0, 2, 1), b, c, h, w);
        return residual ? ops.add(back, x) : back;
    }
}

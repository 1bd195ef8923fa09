package dev.adi4j.diffusion.nn;

/**
 * diffusers {@code ResnetBlock2D} (time_embedding_norm "default"): norm1, SiLU, conv1, + time_emb_proj(SiLU(temb)),
 * norm2, SiLU, conv2, + input (through a 1x1 {@code conv_shortcut} when channels change), divided by the
 * output scale factor. The VAE uses it without a time embedding.
 */
public final class ResnetBlock2D {
    private final Scope scope;
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d shortcut;
    private final double outputScaleFactor;
    private final long out;

    /** @param tembChannels width of the time embedding, or 0 for a block without one (VAE) */
    public ResnetBlock2D(Scope scope, long in, long out, long tembChannels, int groups, double eps,
                         double outputScaleFactor) {
        this.scope = scope;
        this.out = out;
        this.outputScaleFactor = outputScaleFactor;
        this.norm1 = new GroupNorm(scope.child("norm1"), groups, in, eps);
        this.conv1 = new Conv2d(scope.child("conv1"), in, out, 3, 1, 1);
        this.timeEmbProj = tembChannels > 0 ? new Linear(scope.child("time_emb_proj"), tembChannels, out, true) : null;
        this.norm2 = new GroupNorm(scope.child("norm2"), groups, out, eps);
        this.conv2 = new Conv2d(scope.child("conv2"), out, out, 3, 1, 1);
        this.shortcut = in != out ? new Conv2d(scope.child("conv_shortcut"), in, out, 1, 1, 0) : null;
    }

    /** @param temb the time embedding [B, tembChannels], or null for a block without one */
    public Tensor forward(Tensor x, Tensor temb) {
        Ops ops = scope.ops();
        Tensor h = conv1.forward(ops.silu(norm1.forward(x)));
        if (timeEmbProj != null) {
            Tensor t = timeEmbProj.forward(ops.silu(temb));
            h = ops.addBroadcast(h, ops.reshape(t, t.dim(0), out, 1, 1).var());
        }
        h = conv2.forward(ops.silu(norm2.forward(h)));
        Tensor skip = shortcut == null ? x : shortcut.forward(x);
        return ops.scale(ops.add(skip, h), 1.0 / outputScaleFactor);
    }
}

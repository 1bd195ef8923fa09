package dev.adi4j.diffusion.nn;

/**
 * diffusers {@code FeedForward} with the GEGLU activation: {@code net.0.proj} projects to twice the inner
 * width, the second half gates the first through exact GELU, {@code net.2} projects back.
 */
public final class FeedForward {
    private final Scope scope;
    private final Linear proj;
    private final Linear out;

    public FeedForward(Scope scope, long dim, long inner) {
        this.scope = scope;
        this.proj = new Linear(scope.child("net", 0).child("proj"), dim, inner * 2, true);
        this.out = new Linear(scope.child("net", 2), inner, dim, true);
    }

    public Tensor forward(Tensor x) {
        Ops ops = scope.ops();
        Tensor[] valueAndGate = ops.splitLastInHalf(proj.forward(x));
        return out.forward(ops.mul(valueAndGate[0], ops.gelu(valueAndGate[1])));
    }
}

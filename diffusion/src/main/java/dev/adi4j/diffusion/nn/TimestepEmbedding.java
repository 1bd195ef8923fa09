package dev.adi4j.diffusion.nn;

/** diffusers {@code TimestepEmbedding}: {@code linear_1}, SiLU, {@code linear_2}. */
public final class TimestepEmbedding {
    private final Scope scope;
    private final Linear linear1;
    private final Linear linear2;

    public TimestepEmbedding(Scope scope, long in, long dim) {
        this.scope = scope;
        this.linear1 = new Linear(scope.child("linear_1"), in, dim, true);
        this.linear2 = new Linear(scope.child("linear_2"), dim, dim, true);
    }

    public Tensor forward(Tensor sinusoid) {
        return linear2.forward(scope.ops().silu(linear1.forward(sinusoid)));
    }
}

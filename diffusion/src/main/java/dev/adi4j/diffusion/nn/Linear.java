package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** torch.nn.Linear: parameters {@code weight [out, in]} and optional {@code bias [out]}. */
public final class Linear {
    private final Scope scope;
    private final SDVariable weight;
    private final SDVariable bias;
    private final long out;

    public Linear(Scope scope, long in, long out, boolean bias) {
        this.scope = scope;
        this.out = out;
        this.weight = scope.param("weight", ParamLayout.LINEAR_TRANSPOSED, out, in);
        this.bias = bias ? scope.param("bias", ParamLayout.AS_IS, out) : null;
    }

    public Tensor forward(Tensor x) {
        return scope.ops().linear(x, weight, bias, out);
    }
}

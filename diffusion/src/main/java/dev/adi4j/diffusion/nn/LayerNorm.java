package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** torch.nn.LayerNorm over the last dimension with {@code weight [D]} and {@code bias [D]}. */
public final class LayerNorm {
    private final Scope scope;
    private final double eps;
    private final SDVariable gamma;
    private final SDVariable beta;

    public LayerNorm(Scope scope, long dim, double eps) {
        this.scope = scope;
        this.eps = eps;
        this.gamma = scope.param("weight", ParamLayout.AS_IS, dim);
        this.beta = scope.param("bias", ParamLayout.AS_IS, dim);
    }

    public Tensor forward(Tensor x) {
        return scope.ops().layerNorm(x, gamma, beta, eps);
    }
}

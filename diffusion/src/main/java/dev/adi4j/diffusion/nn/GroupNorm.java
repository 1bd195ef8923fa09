package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** torch.nn.GroupNorm with affine {@code weight [C]} and {@code bias [C]}. */
public final class GroupNorm {
    private final Scope scope;
    private final int groups;
    private final double eps;
    private final SDVariable gamma;
    private final SDVariable beta;

    public GroupNorm(Scope scope, int groups, long channels, double eps) {
        this.scope = scope;
        this.groups = groups;
        this.eps = eps;
        this.gamma = scope.param("weight", ParamLayout.AS_IS, channels);
        this.beta = scope.param("bias", ParamLayout.AS_IS, channels);
    }

    public Tensor forward(Tensor x) {
        return scope.ops().groupNorm(x, groups, gamma, beta, eps);
    }
}

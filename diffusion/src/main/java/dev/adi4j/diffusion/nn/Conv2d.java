package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** torch.nn.Conv2d (square kernel, symmetric padding): {@code weight [out, in, k, k]}, {@code bias [out]}. */
public final class Conv2d {
    private final Scope scope;
    private final SDVariable weight;
    private final SDVariable bias;
    private final long out;
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(Scope scope, long in, long out, int kernel, int stride, int padding) {
        this.scope = scope;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = scope.param("weight", ParamLayout.CONV_YXIO, out, in, kernel, kernel);
        this.bias = scope.param("bias", ParamLayout.AS_IS, out);
    }

    public Tensor forward(Tensor x) {
        return scope.ops().conv2d(x, weight, bias, out, kernel, stride, padding);
    }
}

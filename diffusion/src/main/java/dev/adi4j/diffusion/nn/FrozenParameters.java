package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Every parameter of another source as a constant over that source's shared array. Forward-only graphs of a
 * network with trainable weights use it: a graph with variables is built for differentiation (the fused
 * normalisation, see {@link Standardize}), which is slower for inference and not bit-identical to the frozen
 * network's forward pass. In-place updates of the shared arrays still reach these graphs.
 */
public final class FrozenParameters implements ParameterSource {
    private final ParameterSource inner;

    public FrozenParameters(ParameterSource inner) {
        this.inner = inner;
    }

    @Override
    public SDVariable get(SameDiff sd, ParamSpec spec) {
        SDVariable existing = sd.getVariable(spec.name());
        return existing != null ? existing : sd.constant(spec.name(), inner.array(spec));
    }

    @Override
    public org.nd4j.linalg.api.ndarray.INDArray array(ParamSpec spec) {
        return inner.array(spec);
    }

    @Override
    public void finish() {
        inner.finish();
    }
}

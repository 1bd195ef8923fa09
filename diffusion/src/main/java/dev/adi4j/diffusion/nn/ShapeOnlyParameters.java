package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Declares every parameter as a placeholder without allocating it: builds full-size graphs (e.g. to check
 * names and shapes against the SD 2.1 manifests) on any machine.
 */
public final class ShapeOnlyParameters extends AbstractParameterSource {
    @Override
    protected SDVariable create(SameDiff sd, ParamSpec spec) {
        return standIn(sd, spec);
    }

    @Override
    public void finish() {
        // nothing is loaded, so nothing can be wrong
    }
}

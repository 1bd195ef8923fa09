package dev.adi4j.diffusion.text;

import dev.adi4j.diffusion.nn.AbstractParameterSource;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.WeightsException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * Frozen parameters already in memory (graph layout), shared by every graph built from them: the encoder
 * loads and validates the file once and then builds further (batch, sequence) shapes without copying.
 */
final class LoadedParameters extends AbstractParameterSource {
    private final String source;
    private final Map<String, INDArray> arrays;

    LoadedParameters(String source, Map<String, INDArray> arrays) {
        this.source = source;
        this.arrays = Map.copyOf(arrays);
    }

    @Override
    protected SDVariable create(SameDiff sd, ParamSpec spec) {
        INDArray a = arrays.get(spec.name());
        long[] expected = spec.layout().graphShape(spec.shape());
        if (a == null || !Arrays.equals(a.shape(), expected)) {
            problems.add((a == null ? "missing: " : "wrong shape: ") + spec.name());
            return standIn(sd, spec);
        }
        return sd.constant(spec.name(), a);
    }

    @Override
    public void finish() {
        if (!problems.isEmpty()) throw new WeightsException(source, java.util.List.copyOf(problems));
    }
}

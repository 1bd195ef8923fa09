package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Freshly initialised parameters, for benchmarks and for training a model from scratch: weights
 * N(0, std), normalisation gains 1, biases 0. Trainable parameters become SameDiff variables.
 */
public final class RandomParameters extends AbstractParameterSource {
    private final double std;
    private final boolean trainable;

    public RandomParameters(long seed, double std, boolean trainable) {
        Nd4j.getRandom().setSeed(seed);
        this.std = std;
        this.trainable = trainable;
    }

    /** Generated once per name: every graph built from this source (e.g. per input size) sees the same weights. */
    private final java.util.Map<String, INDArray> generated = new java.util.HashMap<>();

    @Override
    protected SDVariable create(SameDiff sd, ParamSpec spec) {
        INDArray arr = generated.computeIfAbsent(spec.name(), n -> spec.layout().toGraph(generate(spec)));
        return trainable ? sd.var(spec.name(), arr) : sd.constant(spec.name(), arr);
    }

    private INDArray generate(ParamSpec spec) {
        long[] shape = spec.shape();
        INDArray ref;
        if (shape.length == 1 && isNormGain(spec.name())) {
            ref = Nd4j.ones(DataType.FLOAT, shape);
        } else if (shape.length == 1) {
            ref = Nd4j.zeros(DataType.FLOAT, shape);
        } else {
            ref = Nd4j.randn(DataType.FLOAT, shape).muli(std);
        }
        return ref;
    }

    private static boolean isNormGain(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".weight") && (n.contains("norm") || n.contains("ln_"));
    }

    @Override
    public void finish() {
        // generated to fit, so nothing can be wrong
    }
}

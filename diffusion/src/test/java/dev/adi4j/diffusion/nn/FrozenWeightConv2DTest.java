package dev.adi4j.diffusion.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frozen-weight conv2d backward (a transposed convolution) gives the same input gradient as SameDiff's
 * conv2d_bp, which still runs where it must: trainable weights, stride 2.
 */
class FrozenWeightConv2DTest {
    private record Result(INDArray grad, Set<String> gradientOps) {
    }

    private static Result gradient(boolean trainableWeights, int kernel, int stride, int padding, INDArray x, INDArray w, INDArray b) {
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Tensor tx = g.input("x", true, x.shape());
        SDVariable wv = trainableWeights ? sd.var("w", w) : sd.constant("w", w);
        SDVariable bv = trainableWeights ? sd.var("b", b) : sd.constant("b", b);
        Tensor y = new Ops(sd).conv2d(tx, wv, bv, w.size(3), kernel, stride, padding);
        SDVariable loss = y.var().mul(y.var()).sum();
        loss.rename("loss");
        INDArray grad = g.gradients(Map.of("x", x), "loss", new String[]{"x"}).get("grad:x");
        Set<String> ops = java.util.Arrays.stream(sd.getFunction("grad").ops()).map(op -> op.opName())
                .collect(Collectors.toSet());
        return new Result(grad, ops);
    }

    @ParameterizedTest
    @CsvSource({"3,1,1", "1,1,0", "3,2,1"})
    void inputGradientEqualsConv2dBp(int kernel, int stride, int padding) {
        assertTrue(SameDiffPatches.installed());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 5, 9, 8);
        INDArray w = Nd4j.randn(DataType.FLOAT, kernel, kernel, 5, 7);
        INDArray b = Nd4j.randn(DataType.FLOAT, 7);
        Result frozen = gradient(false, kernel, stride, padding, x, w, b);
        Result stock = gradient(true, kernel, stride, padding, x, w, b);
        assertTrue(stock.gradientOps().contains("conv2d_bp"), stock.gradientOps().toString());
        if (stride == 1) {
            assertTrue(frozen.gradientOps().contains("deconv2d") && !frozen.gradientOps().contains("conv2d_bp"),
                    frozen.gradientOps().toString());
        } else {
            assertTrue(frozen.gradientOps().contains("conv2d_bp"), frozen.gradientOps().toString());
        }
        assertEquals(0, frozen.grad().sub(stock.grad()).amaxNumber().doubleValue(), 1e-4 * stock.grad().amaxNumber().doubleValue());
    }
}

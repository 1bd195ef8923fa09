package dev.adi4j.diffusion.golden;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * The pass rule of the golden-case format (adi4j-golden-cases/1):
 * max|actual - expected| <= tolerance * max(max|expected|, 1e-3). The relative error is reported against
 * the same scale.
 */
public final class Compare {
    private Compare() {
    }

    public static CaseResult compare(String caseName, String output, INDArray actual, INDArray expected, double tol) {
        if (actual == null) return CaseResult.failure(caseName, output, "no output produced");
        long[] a = actual.shape();
        long[] e = expected.shape();
        if (!Arrays.equals(a, e) && actual.length() == expected.length() && sameIgnoringOnes(a, e)) {
            actual = actual.reshape(e);
        } else if (!Arrays.equals(a, e)) {
            return CaseResult.failure(caseName, output,
                    "shape " + Arrays.toString(a) + " but expected " + Arrays.toString(e));
        }
        INDArray act = actual.castTo(DataType.DOUBLE);
        INDArray exp = expected.castTo(DataType.DOUBLE);
        double maxAbs = Transforms.abs(act.sub(exp)).maxNumber().doubleValue();
        double scale = Math.max(Transforms.abs(exp).maxNumber().doubleValue(), 1e-3);
        boolean finite = !Double.isNaN(maxAbs) && !Double.isInfinite(maxAbs);
        return new CaseResult(caseName, output, maxAbs, maxAbs / scale, tol, finite && maxAbs <= tol * scale, null);
    }

    private static boolean sameIgnoringOnes(long[] a, long[] b) {
        return Arrays.equals(Arrays.stream(a).filter(d -> d != 1).toArray(), Arrays.stream(b).filter(d -> d != 1).toArray());
    }
}

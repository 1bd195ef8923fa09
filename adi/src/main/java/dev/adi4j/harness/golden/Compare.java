package dev.adi4j.harness.golden;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The pass rule of cases.json: an output passes when
 * max|actual − expected| ≤ tolerance · max(max|expected|, 1e-3). Shapes must match exactly; any NaN or infinity
 * in the difference fails.
 */
public final class Compare {
    /** Floor of the scale, so that all-zero (or tiny) expected tensors get an absolute tolerance. */
    public static final double SCALE_FLOOR = 1e-3;

    private Compare() {
    }

    public static CaseResult compare(String caseName, String outputName, INDArray actual, INDArray expected,
                                     double tol) {
        if (actual == null) return CaseResult.failure(caseName, outputName, tol, "no actual value was produced");
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return CaseResult.failure(caseName, outputName, tol, "shape mismatch: expected "
                    + Arrays.toString(expected.shape()) + ", got " + Arrays.toString(actual.shape()));
        }
        double[] a = values(actual);
        double[] e = values(expected);
        double maxAbs = 0;
        double maxExpected = 0;
        int bad = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!Double.isFinite(d)) {
                if (bad < 0) bad = i;
                continue;
            }
            maxAbs = Math.max(maxAbs, d);
            maxExpected = Math.max(maxExpected, Math.abs(e[i]));
        }
        double scale = Math.max(maxExpected, SCALE_FLOOR);
        if (bad >= 0) {
            return new CaseResult(caseName, outputName, Double.NaN, Double.NaN, tol, false,
                    "non-finite value at flat index " + bad + ": actual " + a[bad] + ", expected " + e[bad]);
        }
        double maxRel = maxAbs / scale;
        return new CaseResult(caseName, outputName, maxAbs, maxRel, tol, maxAbs <= tol * scale);
    }

    /**
     * Compares every requested output of a case: those the runner did not produce are FAILs naming the kind,
     * the others go through {@link #compare}.
     */
    public static java.util.List<CaseResult> outputs(String caseName, String kind, java.util.List<String> outputs,
                                                     java.util.Map<String, INDArray> actual,
                                                     java.util.function.Function<String, INDArray> expected,
                                                     double tol) {
        java.util.List<CaseResult> results = new java.util.ArrayList<>();
        for (String o : outputs) {
            INDArray a = actual.get(o);
            results.add(a == null ? CaseResult.failure(caseName, o, tol, kind + " does not produce '" + o + "'")
                    : compare(caseName, o, a, expected.apply(o), tol));
        }
        return results;
    }

    private static double[] values(INDArray x) {
        return x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}

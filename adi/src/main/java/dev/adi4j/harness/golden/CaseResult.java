package dev.adi4j.harness.golden;

/**
 * The outcome of comparing one output of one golden case: {@code maxAbs} = max|actual − expected|,
 * {@code maxRel} = maxAbs / max(max|expected|, 1e-3) (the quantity compared with {@code tolerance}),
 * {@code pass} = maxRel ≤ tolerance. {@code message} explains a failure that is not a plain numeric difference
 * (shape mismatch, NaN, missing output); empty otherwise.
 */
public record CaseResult(String caseName, String output, double maxAbs, double maxRel, double tolerance,
                         boolean pass, String message) {

    public CaseResult {
        message = message == null ? "" : message;
    }

    /** A numeric result without a message. */
    public CaseResult(String caseName, String output, double maxAbs, double maxRel, double tolerance,
                      boolean pass) {
        this(caseName, output, maxAbs, maxRel, tolerance, pass, "");
    }

    /** A failure that has no numbers (e.g. a shape mismatch or a missing tensor). */
    public static CaseResult failure(String caseName, String output, double tolerance, String message) {
        return new CaseResult(caseName, output, Double.NaN, Double.NaN, tolerance, false, message);
    }

    /** A failure without numbers and without a tolerance (e.g. an unknown kind, an exception). */
    public static CaseResult failure(String caseName, String output, String message) {
        return failure(caseName, output, Double.NaN, message);
    }

    /** The report line of {@code adi golden}: name, max abs error, max rel error, tolerance, PASS/FAIL. */
    public String line() {
        String name = output == null || output.isEmpty() ? caseName : caseName + "/" + output;
        String verdict = pass ? "PASS" : "FAIL";
        if (Double.isNaN(maxAbs)) return String.format(java.util.Locale.ROOT, "%-60s %s  %s", name, verdict, message);
        return String.format(java.util.Locale.ROOT, "%-60s max_abs=%.3e max_rel=%.3e tol=%.1e %s%s", name, maxAbs,
                maxRel, tolerance, verdict, message.isEmpty() ? "" : "  " + message);
    }

    /** One line, e.g. {@code PASS sched_ddim epsilon.n10.prev_sample maxAbs=1.2e-07 maxRel=3.4e-08 tol=1e-04}. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %s %s maxAbs=%.3e maxRel=%.3e tol=%.0e%s",
                pass ? "PASS" : "FAIL", caseName, output, maxAbs, maxRel, tolerance,
                message.isEmpty() ? "" : " (" + message + ")");
    }
}

package dev.adi4j.diffusion.golden;

/**
 * The comparison of one output of one golden case: errors, the tolerance applied and the verdict.
 * {@code problem} explains a failure that is not a numeric one (shape mismatch, missing tensor).
 */
public record CaseResult(String caseName, String output, double maxAbs, double maxRel, double tolerance,
                         boolean pass, String problem) {

    public static CaseResult failure(String caseName, String output, String problem) {
        return new CaseResult(caseName, output, Double.NaN, Double.NaN, Double.NaN, false, problem);
    }

    /** One report line: name, max abs error, max rel error, PASS/FAIL. */
    public String line() {
        String name = output == null || output.isEmpty() ? caseName : caseName + "/" + output;
        String verdict = pass ? "PASS" : "FAIL";
        if (problem != null) return String.format("%-60s %s  %s", name, verdict, problem);
        return String.format("%-60s max_abs=%.3e max_rel=%.3e tol=%.1e %s", name, maxAbs, maxRel, tolerance, verdict);
    }
}

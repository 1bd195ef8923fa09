package dev.adi4j.convert;

/** IEEE binary16 round-to-nearest-even of a float, computed in double (independent of the code under test). */
final class Fp16Reference {
    private Fp16Reference() {
    }

    static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x) || x == 0f) return x;
        double a = Math.abs((double) x);
        int e = Math.max(Math.getExponent(a), -14); // subnormals share the spacing of the smallest normal binade
        double ulp = Math.scalb(1.0, e - 10);
        double r = Math.rint(a / ulp) * ulp; // rint: ties to even
        if (r >= 65520.0) r = Double.POSITIVE_INFINITY;
        return (float) Math.copySign(r, x);
    }
}

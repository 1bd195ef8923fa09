package dev.adi4j.adi.mask;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.mask.MaskedUpdate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the mask rule (docs/adi-method.md, "The update rule, exactly"). */
class GradientMasksProperties {
    private static final int TRIES = 100;

    /** Three gradients of shape [rows, cols]. */
    record Grads(int rows, int cols, float[][] anchor, float[][] context, float[][] action) {
        INDArray a() { return Nd4j.createFromArray(anchor); }
        INDArray c() { return Nd4j.createFromArray(context); }
        INDArray x() { return Nd4j.createFromArray(action); }

        @Override
        public String toString() {
            return "Grads[" + rows + "x" + cols + "]";
        }
    }

    enum Kind {
        /** |a - c| and |a - x| all distinct over the whole array: integers times a power of two, exact. */
        DISTINCT,
        /** Differences drawn from {0, 1, 2, 3} times a power of two: many exact ties. */
        TIES,
        /** Gaussian floats (no structure). */
        GAUSSIAN
    }

    private static Arbitrary<Grads> grads(Kind kind) {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 40),
                Arbitraries.longs()).as((rows, cols, seed) -> make(kind, rows, cols, new Random(seed)));
    }

    private static Grads make(Kind kind, int rows, int cols, Random rnd) {
        float scale = (float) Math.scalb(1.0, rnd.nextInt(21) - 15);
        float[][] a = new float[rows][cols];
        float[][] c = new float[rows][cols];
        float[][] x = new float[rows][cols];
        if (kind == Kind.GAUSSIAN) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    a[i][j] = (float) rnd.nextGaussian() * scale;
                    c[i][j] = (float) rnd.nextGaussian() * scale;
                    x[i][j] = (float) rnd.nextGaussian() * scale;
                }
            }
            return new Grads(rows, cols, a, c, x);
        }
        List<Integer> magC = magnitudes(kind, rows * cols, rnd);
        List<Integer> magX = magnitudes(kind, rows * cols, rnd);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int base = rnd.nextInt(2001) - 1000;
                a[i][j] = base * scale;
                c[i][j] = (base + sign(rnd) * magC.get(i * cols + j)) * scale;
                x[i][j] = (base + sign(rnd) * magX.get(i * cols + j)) * scale;
            }
        }
        return new Grads(rows, cols, a, c, x);
    }

    private static List<Integer> magnitudes(Kind kind, int n, Random rnd) {
        List<Integer> m = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < n; i++) {
            last += 1 + rnd.nextInt(3);   // strictly increasing, so distinct
            m.add(kind == Kind.TIES ? rnd.nextInt(4) : last);
        }
        Collections.shuffle(m, rnd);
        return m;
    }

    private static int sign(Random rnd) {
        return rnd.nextBoolean() ? 1 : -1;
    }

    @Provide
    Arbitrary<Grads> distinct() {
        return grads(Kind.DISTINCT);
    }

    @Provide
    Arbitrary<Grads> ties() {
        return grads(Kind.TIES);
    }

    @Provide
    Arbitrary<Grads> gaussian() {
        return grads(Kind.GAUSSIAN);
    }

    @Provide
    Arbitrary<Double> betas() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 0.25, 0.5, 1.0));
    }

    @Provide
    Arbitrary<Double> lrs() {
        return Arbitraries.of(1e-4, 1e-3, 5e-3, 0.1);
    }

    // ---------------------------------------------------------------- counts

    @Property(tries = TRIES)
    void distinctValuesMaskExactlyK(@ForAll("distinct") Grads g, @ForAll("betas") double beta,
                                    @ForAll MaskScope scope) {
        float[][] ctx = GradientMasks.contextMask(GradientMasks.difference(g.a(), g.c()), beta, scope).toFloatMatrix();
        float[][] act = GradientMasks.actionMask(GradientMasks.difference(g.a(), g.x()), beta, scope).toFloatMatrix();
        if (scope == MaskScope.TOKEN) {
            long k = GradientMasks.maskedCount(beta, g.cols());
            for (int i = 0; i < g.rows(); i++) {
                assertEquals(k, zeros(ctx[i]), "context mask, row " + i);
                assertEquals(k, zeros(act[i]), "action mask, row " + i);
            }
        } else {
            long k = GradientMasks.maskedCount(beta, (long) g.rows() * g.cols());
            assertEquals(k, zeros(ctx), "context mask");
            assertEquals(k, zeros(act), "action mask");
        }
    }

    /**
     * With ties the context mask masks every value tied with the k-th largest (so possibly more than k) and
     * the action mask spares every value tied with the (k+1)-th smallest (so possibly fewer than k); masked
     * context values are the largest, masked action values the smallest.
     */
    @Property(tries = TRIES)
    void tiesFollowTheInequalities(@ForAll("ties") Grads g, @ForAll("betas") double beta, @ForAll MaskScope scope) {
        float[][] dgc = GradientMasks.difference(g.a(), g.c()).toFloatMatrix();
        float[][] dga = GradientMasks.difference(g.a(), g.x()).toFloatMatrix();
        float[][] ctx = GradientMasks.contextMask(Nd4j.createFromArray(dgc), beta, scope).toFloatMatrix();
        float[][] act = GradientMasks.actionMask(Nd4j.createFromArray(dga), beta, scope).toFloatMatrix();
        for (int[] rows : groups(g.rows(), scope)) {
            List<float[]> masked = new ArrayList<>();
            List<float[]> kept = new ArrayList<>();
            long n = (long) rows.length * g.cols();
            long k = GradientMasks.maskedCount(beta, n);
            // context: masked = {d >= t} with #masked >= k and #{d > t} < k
            split(dgc, ctx, rows, masked, kept);
            float[] m = flat(masked);
            float[] kp = flat(kept);
            assertTrue(m.length >= k, "context mask masks " + m.length + " < k = " + k);
            if (k == 0) assertEquals(0, m.length);
            if (m.length > 0) {
                float t = min(m);
                assertTrue(kp.length == 0 || max(kp) < t, "a kept context value is >= a masked one");
                assertTrue(countAbove(m, t) < k, "more than k context values strictly above the threshold");
            }
            // action: masked = {d < t} with #masked <= k and #{d <= t} > k (t = the (k+1)-th smallest)
            masked.clear();
            kept.clear();
            split(dga, act, rows, masked, kept);
            m = flat(masked);
            kp = flat(kept);
            assertTrue(m.length <= k, "action mask masks " + m.length + " > k = " + k);
            if (k == n) {
                assertEquals(n, m.length, "k = n masks everything");
            } else {
                float t = min(kp);
                assertTrue(m.length == 0 || max(m) < t, "a masked action value is >= a kept one");
                assertTrue(m.length + countEqual(kp, t) > k, "the (k+1)-th smallest action value is not kept");
            }
        }
    }

    // ---------------------------------------------------------------- merges and the masked gradient

    @Property(tries = TRIES)
    void mergesAreSubsetAndSuperset(@ForAll("ties") Grads g, @ForAll("betas") double beta, @ForAll MaskScope scope) {
        GradientMasks.Result adi = new GradientMasks(MaskMethod.ADI, beta, scope).compute(g.a(), g.c(), g.x());
        float[][] c = adi.contextMask().toFloatMatrix();
        float[][] a = adi.actionMask().toFloatMatrix();
        float[][] and = adi.mask().toFloatMatrix();
        float[][] or = GradientMasks.merge(MaskMethod.ADI_UNION, adi.contextMask(), adi.actionMask()).toFloatMatrix();
        for (int i = 0; i < g.rows(); i++) {
            for (int j = 0; j < g.cols(); j++) {
                assertTrue(and[i][j] <= c[i][j] && and[i][j] <= a[i][j], "intersection not a subset at " + i + "," + j);
                assertEquals(Math.min(c[i][j], a[i][j]), and[i][j]);
                assertEquals(Math.max(c[i][j], a[i][j]), or[i][j]);
            }
        }
        assertEquals(adi.contextMask(), GradientMasks.merge(MaskMethod.ADI_CONTEXT_ONLY, adi.contextMask(),
                adi.actionMask()));
        assertEquals(adi.actionMask(), GradientMasks.merge(MaskMethod.ADI_ACTION_ONLY, adi.contextMask(),
                adi.actionMask()));
        for (MaskMethod none : new MaskMethod[]{MaskMethod.TI, MaskMethod.PPLUS}) {
            INDArray m = GradientMasks.merge(none, adi.contextMask(), adi.actionMask());
            assertEquals(g.rows() * g.cols(), m.sumNumber().intValue(), none + " masks something");
        }
    }

    @Property(tries = TRIES)
    void maskedGradientIsZeroOrAnchor(@ForAll("gaussian") Grads g, @ForAll("betas") double beta,
                                      @ForAll MaskScope scope, @ForAll MaskMethod method) {
        GradientMasks.Result r = new GradientMasks(method, beta, scope).compute(g.a(), g.c(), g.x());
        float[][] m = r.mask().toFloatMatrix();
        float[][] gm = r.maskedGradient().toFloatMatrix();
        for (int i = 0; i < g.rows(); i++) {
            for (int j = 0; j < g.cols(); j++) {
                if (m[i][j] == 0f) {
                    assertEquals(0f, Math.abs(gm[i][j]), "masked channel " + i + "," + j);
                } else {
                    assertEquals(1f, m[i][j], "mask values are 0 or 1");
                    assertEquals(Float.floatToIntBits(g.anchor()[i][j]), Float.floatToIntBits(gm[i][j]),
                            "kept channel " + i + "," + j + " differs from g_anchor");
                }
            }
        }
    }

    // ---------------------------------------------------------------- invariances

    /**
     * Scaling by 2^e is exact in float32 for subtraction, abs and comparison (no overflow or subnormals at
     * these magnitudes), so the masks must not change at all.
     */
    @Property(tries = TRIES)
    void masksInvariantToPowerOfTwoScaling(@ForAll("gaussian") Grads g, @ForAll("betas") double beta,
                                           @ForAll MaskScope scope, @ForAll @IntRange(min = -20, max = 20) int e) {
        GradientMasks gm = new GradientMasks(MaskMethod.ADI, beta, scope);
        GradientMasks.Result r = gm.compute(g.a(), g.c(), g.x());
        double f = Math.scalb(1.0, e);
        GradientMasks.Result s = gm.compute(g.a().mul(f), g.c().mul(f), g.x().mul(f));
        assertEquals(r.contextMask(), s.contextMask());
        assertEquals(r.actionMask(), s.actionMask());
    }

    @Property(tries = TRIES)
    void masksFollowAChannelPermutation(@ForAll("ties") Grads g, @ForAll("betas") double beta,
                                        @ForAll MaskScope scope, @ForAll long seed) {
        List<Integer> perm = new ArrayList<>();
        for (int j = 0; j < g.cols(); j++) perm.add(j);
        Collections.shuffle(perm, new Random(seed));
        int[] p = perm.stream().mapToInt(Integer::intValue).toArray();
        GradientMasks gm = new GradientMasks(MaskMethod.ADI, beta, scope);
        GradientMasks.Result r = gm.compute(g.a(), g.c(), g.x());
        GradientMasks.Result s = gm.compute(Nd4j.createFromArray(permuteColumns(g.anchor(), p)),
                Nd4j.createFromArray(permuteColumns(g.context(), p)),
                Nd4j.createFromArray(permuteColumns(g.action(), p)));
        assertArrayEquals(permuteColumns(r.contextMask().toFloatMatrix(), p), s.contextMask().toFloatMatrix());
        assertArrayEquals(permuteColumns(r.actionMask().toFloatMatrix(), p), s.actionMask().toFloatMatrix());
    }

    private static float[][] permuteColumns(float[][] m, int[] p) {
        float[][] out = new float[m.length][p.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < p.length; j++) out[i][j] = m[i][p[j]];
        }
        return out;
    }

    @Property(tries = TRIES)
    void tokenScopeNeverMixesRows(@ForAll("ties") Grads g, @ForAll("betas") double beta, @ForAll long seed) {
        GradientMasks gm = new GradientMasks(MaskMethod.ADI, beta, MaskScope.TOKEN);
        GradientMasks.Result r = gm.compute(g.a(), g.c(), g.x());
        Random rnd = new Random(seed);
        int j = rnd.nextInt(g.rows());
        Grads other = make(Kind.GAUSSIAN, g.rows(), g.cols(), rnd);
        INDArray a = g.a(), c = g.c(), x = g.x();
        a.putRow(j, other.a().getRow(j));
        c.putRow(j, other.c().getRow(j));
        x.putRow(j, other.x().getRow(j));
        GradientMasks.Result s = gm.compute(a, c, x);
        for (int i = 0; i < g.rows(); i++) {
            if (i == j) continue;
            assertEquals(r.contextMask().getRow(i), s.contextMask().getRow(i), "context mask of row " + i);
            assertEquals(r.actionMask().getRow(i), s.actionMask().getRow(i), "action mask of row " + i);
        }
    }

    // ---------------------------------------------------------------- beta = 0

    @Property(tries = 40)
    void betaZeroAdiIsPPlus(@ForAll("gaussian") Grads g, @ForAll MaskScope scope,
                            @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll long seed,
                            @ForAll("lrs") double lr) {
        MaskedUpdate adi = new MaskedUpdate(new GradientMasks(MaskMethod.ADI, 0.0, scope),
                new AdamW(AdamW.Settings.torchDefaults()));
        MaskedUpdate pplus = new MaskedUpdate(new GradientMasks(MaskMethod.PPLUS, 0.0, scope),
                new AdamW(AdamW.Settings.torchDefaults()));
        Random rnd = new Random(seed);
        INDArray v0 = make(Kind.GAUSSIAN, g.rows(), g.cols(), rnd).a();
        INDArray va = v0.dup();
        INDArray vp = v0.dup();
        for (int s = 0; s < steps; s++) {
            Grads gs = s == 0 ? g : make(Kind.GAUSSIAN, g.rows(), g.cols(), rnd);
            GradientMasks.Result r = adi.step("v", va, gs.a(), gs.c(), gs.x(), lr);
            pplus.step("v", vp, gs.a(), null, null, lr);
            assertEquals(g.rows() * g.cols(), r.mask().sumNumber().intValue(), "beta 0 masked a channel");
            assertArrayEquals(vp.toFloatMatrix(), va.toFloatMatrix(), "identifiers after step " + s);
        }
        assertTrue(!va.equals(v0), "the identifiers did not move");
    }

    // ---------------------------------------------------------------- helpers

    private static List<int[]> groups(int rows, MaskScope scope) {
        List<int[]> out = new ArrayList<>();
        if (scope == MaskScope.TOKEN) {
            for (int i = 0; i < rows; i++) out.add(new int[]{i});
        } else {
            int[] all = new int[rows];
            for (int i = 0; i < rows; i++) all[i] = i;
            out.add(all);
        }
        return out;
    }

    private static void split(float[][] d, float[][] mask, int[] rows, List<float[]> masked, List<float[]> kept) {
        for (int i : rows) {
            for (int j = 0; j < d[i].length; j++) (mask[i][j] == 0f ? masked : kept).add(new float[]{d[i][j]});
        }
    }

    private static float[] flat(List<float[]> l) {
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i)[0];
        return out;
    }

    private static long zeros(float[] row) {
        long n = 0;
        for (float v : row) if (v == 0f) n++;
        return n;
    }

    private static long zeros(float[][] m) {
        long n = 0;
        for (float[] row : m) n += zeros(row);
        return n;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : v) m = Math.min(m, f);
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : v) m = Math.max(m, f);
        return m;
    }

    private static long countAbove(float[] v, float t) {
        long n = 0;
        for (float f : v) if (f > t) n++;
        return n;
    }

    private static long countEqual(float[] v, float t) {
        long n = 0;
        for (float f : v) if (f == t) n++;
        return n;
    }
}

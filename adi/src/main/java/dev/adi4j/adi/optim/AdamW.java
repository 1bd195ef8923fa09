package dev.adi4j.adi.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * torch.optim.AdamW (amsgrad off, not maximize) on float32 parameters, updated in place, one state per
 * parameter name:
 * <pre>
 * p *= 1 - lr*wd
 * m  = m + (1-b1)*(g - m)            (torch's lerp_, = b1*m + (1-b1)*g)
 * v  = b2*v + ((1-b2)*g)*g           (torch's addcmul_)
 * p += (-lr/bc1 * m) / (sqrt(v)/sqrt(bc2) + eps),   bc1 = 1-b1^t, bc2 = 1-b2^t
 * </pre>
 * Each line is float32 arithmetic in torch's single-tensor order; scalars (lr/bc1, sqrt(bc2), ...) are
 * computed in double and rounded to float once, as torch does. The adi_update goldens were made by numpy
 * in an order we could not recover exactly: they agree to about 1e-7 relative, well inside their 1e-5.
 */
public final class AdamW {

    /** Hyper-parameters other than the learning rate. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
            }
        }

        /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
        public static Settings torchDefaults() {
            return new Settings(0.9, 0.999, 1e-8, 1e-2);
        }
    }

    private static final String EXP_AVG = ".exp_avg";
    private static final String EXP_AVG_SQ = ".exp_avg_sq";
    private static final String STEP = ".step";

    /** Float32 holds every integer up to 2^24 exactly; the step count is saved as a float like torch's. */
    private static final int MAX_STEP = 1 << 24;

    private static final class State {
        final INDArray expAvg;
        final INDArray expAvgSq;
        int step;

        State(INDArray expAvg, INDArray expAvgSq, int step) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            this.step = step;
        }
    }

    private final Settings settings;
    private final Map<String, State> states = new LinkedHashMap<>();

    public AdamW(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** Steps taken so far for that parameter (0 when never stepped). */
    public int stepCount(String name) {
        State s = states.get(name);
        return s == null ? 0 : s.step;
    }

    /**
     * One AdamW step on {@code param} (updated in place) with gradient {@code grad} at learning rate
     * {@code lr}. Both must be float32 of one shape; the state of {@code name} is created on first use.
     */
    public void step(String name, INDArray param, INDArray grad, double lr) {
        Objects.requireNonNull(name, "name");
        check(name, "param", param);
        check(name, "grad", grad);
        if (!Arrays.equals(param.shape(), grad.shape())) {
            throw new IllegalArgumentException("AdamW '" + name + "': grad shape " + Arrays.toString(grad.shape())
                    + " differs from param shape " + Arrays.toString(param.shape()));
        }
        step(name, param, FloatData.read(grad), lr);
    }

    /**
     * {@link #step(String, INDArray, INDArray, double)} with the gradient's float32 values in C order, for callers
     * that already hold them (e.g. after clipping them in place).
     */
    public void step(String name, INDArray param, float[] grad, double lr) {
        Objects.requireNonNull(name, "name");
        check(name, "param", param);
        if (grad.length != param.length()) {
            throw new IllegalArgumentException("AdamW '" + name + "': " + grad.length + " gradient values for a param of "
                    + param.length() + " (shape " + Arrays.toString(param.shape()) + ")");
        }
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalArgumentException("AdamW '" + name + "': learning rate must be finite and >= 0, got " + lr);
        }
        State s = states.computeIfAbsent(name, n -> new State(
                Nd4j.zeros(DataType.FLOAT, param.shape()), Nd4j.zeros(DataType.FLOAT, param.shape()), 0));
        if (!Arrays.equals(s.expAvg.shape(), param.shape())) {
            throw new IllegalArgumentException("AdamW '" + name + "': state has shape "
                    + Arrays.toString(s.expAvg.shape()) + " but param has " + Arrays.toString(param.shape()));
        }
        if (s.step >= MAX_STEP) throw new IllegalStateException("AdamW '" + name + "': more than 2^24 steps");
        s.step++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double bc1 = 1 - Math.pow(b1, s.step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, s.step));
        double stepSize = lr / bc1;

        // One Java loop in exactly the float32 order above (each operation rounded to float, scalars rounded
        // once): bit-identical to the ~14 ND4J element-wise ops it replaces, which cost far more in call overhead
        // than in arithmetic on the small tensors an identifier or a small model has.
        float decay = (float) (1 - lr * settings.weightDecay());
        float oneMinusB1 = (float) (1 - b1);
        float b2f = (float) b2;
        float oneMinusB2 = (float) (1 - b2);
        float bc2 = (float) bc2Sqrt;
        float eps = (float) settings.eps();
        float negStep = (float) -stepSize;
        float[] p = FloatData.read(param);
        float[] m = FloatData.read(s.expAvg);
        float[] v = FloatData.read(s.expAvgSq);
        for (int i = 0; i < p.length; i++) {
            float pi = p[i] * decay;
            float mi = m[i] + (grad[i] - m[i]) * oneMinusB1;
            float vi = v[i] * b2f + (grad[i] * oneMinusB2) * grad[i];
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[i] = pi + (mi * negStep) / denom;
            m[i] = mi;
            v[i] = vi;
        }
        FloatData.write(param, p);
        FloatData.write(s.expAvg, m);
        FloatData.write(s.expAvgSq, v);
    }

    /**
     * The state as tensors for a checkpoint: {@code <name>.exp_avg}, {@code <name>.exp_avg_sq} (copies) and
     * {@code <name>.step} (float [1] holding the step count), names sorted.
     */
    public Map<String, INDArray> stateTensors() {
        Map<String, INDArray> out = new TreeMap<>();
        states.forEach((name, s) -> {
            out.put(name + EXP_AVG, s.expAvg.dup('c'));
            out.put(name + EXP_AVG_SQ, s.expAvgSq.dup('c'));
            out.put(name + STEP, Nd4j.createFromArray((float) s.step));
        });
        return out;
    }

    /**
     * Replaces all state by the tensors of {@link #stateTensors()} (copied), so that a resumed run continues
     * bit for bit. Every parameter needs all three entries; anything else is refused.
     */
    public void loadState(Map<String, INDArray> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        Map<String, State> loaded = new LinkedHashMap<>();
        for (String key : new TreeMap<>(tensors).keySet()) {
            String name = paramName(key);
            if (loaded.containsKey(name)) continue;
            INDArray m = required(tensors, name + EXP_AVG);
            INDArray v = required(tensors, name + EXP_AVG_SQ);
            INDArray step = required(tensors, name + STEP);
            check(name, "exp_avg", m);
            check(name, "exp_avg_sq", v);
            if (!Arrays.equals(m.shape(), v.shape())) {
                throw new IllegalArgumentException("AdamW state '" + name + "': exp_avg " + Arrays.toString(m.shape())
                        + " and exp_avg_sq " + Arrays.toString(v.shape()) + " differ in shape");
            }
            if (step.length() != 1) {
                throw new IllegalArgumentException("AdamW state '" + name + STEP + "' must hold one value, has "
                        + step.length());
            }
            double count = step.getDouble(0);
            if (!(count >= 0 && count <= MAX_STEP && count == Math.rint(count))) {
                throw new IllegalArgumentException("AdamW state '" + name + STEP + "' is not a step count: " + count);
            }
            loaded.put(name, new State(m.dup('c'), v.dup('c'), (int) count));
        }
        states.clear();
        states.putAll(loaded);
    }

    private static String paramName(String key) {
        for (String suffix : new String[]{EXP_AVG_SQ, EXP_AVG, STEP}) {
            if (key.endsWith(suffix) && key.length() > suffix.length()) {
                return key.substring(0, key.length() - suffix.length());
            }
        }
        throw new IllegalArgumentException("not an AdamW state tensor: '" + key
                + "' (expected <name>.exp_avg, <name>.exp_avg_sq or <name>.step)");
    }

    private static INDArray required(Map<String, INDArray> tensors, String key) {
        INDArray t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException("AdamW state lacks '" + key + "'");
        return t;
    }

    private static void check(String name, String what, INDArray a) {
        if (a == null) throw new IllegalArgumentException("AdamW '" + name + "': " + what + " is null");
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("AdamW '" + name + "': " + what + " must be float32 (FLOAT), got "
                    + a.dataType());
        }
    }
}

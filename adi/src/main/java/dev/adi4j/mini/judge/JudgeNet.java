package dev.adi4j.mini.judge;

import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Subject;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The classifier's graph at one fixed batch size (a compiled execution plan is per input shape), with its weights as
 * SameDiff variables: {@link #parameters()} are those variables' own arrays, so updating them in place is what the
 * next run sees.
 */
final class JudgeNet {
    static final int SUBJECTS = Subject.values().length;
    static final int ACTIONS = Action.values().length;
    static final String IMAGES = "images";
    static final String SUBJECT_TARGET = "subject_target";
    static final String ACTION_TARGET = "action_target";
    static final String SUBJECT_LOGITS = "subject_logits";
    static final String ACTION_LOGITS = "action_logits";
    static final String LOSS = "loss";
    private static final double NORM_EPS = 1e-5;

    private final JudgeConfig config;
    private final int batch;
    private final NetGraph graph = NetGraph.create();
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();

    /** The net with {@code weights} (every parameter of {@link #shapes}, copied). */
    JudgeNet(JudgeConfig config, int batch, Map<String, INDArray> weights) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.config = config;
        this.batch = batch;
        Map<String, long[]> shapes = shapes(config);
        if (!weights.keySet().equals(shapes.keySet())) {
            throw new IllegalArgumentException("judge weights must be exactly " + shapes.keySet() + ", got "
                    + weights.keySet());
        }
        SameDiff sd = graph.sameDiff();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (!Arrays.equals(w.shape(), e.getValue())) {
                throw new IllegalArgumentException("judge weight '" + e.getKey() + "' must have shape "
                        + Arrays.toString(e.getValue()) + ", got " + Arrays.toString(w.shape()));
            }
            sd.var(e.getKey(), w.castTo(DataType.FLOAT).dup('c'));
            parameters.put(e.getKey(), sd.getVariable(e.getKey()).getArr());
        }
        build(sd);
    }

    /** A freshly initialised net: He-normal convolutions and heads, zero biases, unit GroupNorm gains. */
    static JudgeNet initialised(JudgeConfig config, int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, INDArray> w = new LinkedHashMap<>();
        shapes(config).forEach((name, shape) -> {
            if (name.endsWith(".bias")) {
                w.put(name, Nd4j.zeros(DataType.FLOAT, shape));
            } else if (name.startsWith("norm")) {
                w.put(name, Nd4j.ones(DataType.FLOAT, shape));
            } else {
                long fanIn = 1;
                for (int i = 0; i < shape.length - 1; i++) fanIn *= shape[i];
                w.put(name, gaussian(rng, Math.sqrt(2.0 / fanIn), shape));
            }
        });
        return new JudgeNet(config, batch, w);
    }

    /** Every parameter's name and shape, in graph order (convolutions YXIO, linears [in, out]). */
    static Map<String, long[]> shapes(JudgeConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long in = 3;
        int layer = 0;
        for (int width : config.widths()) {
            for (int c = 0; c < config.convsPerStage(); c++, layer++) {
                shapes.put("conv" + layer + ".weight", new long[]{3, 3, in, width});
                shapes.put("conv" + layer + ".bias", new long[]{width});
                shapes.put("norm" + layer + ".weight", new long[]{width});
                shapes.put("norm" + layer + ".bias", new long[]{width});
                in = width;
            }
        }
        shapes.put("subject.weight", new long[]{in, SUBJECTS});
        shapes.put("subject.bias", new long[]{SUBJECTS});
        shapes.put("action.weight", new long[]{in, ACTIONS});
        shapes.put("action.bias", new long[]{ACTIONS});
        return shapes;
    }

    private void build(SameDiff sd) {
        Ops ops = new Ops(sd);
        int size = config.imageSize();
        Tensor x = graph.input(IMAGES, false, batch, 3, size, size);
        Tensor subjectTarget = graph.input(SUBJECT_TARGET, false, batch, SUBJECTS);
        Tensor actionTarget = graph.input(ACTION_TARGET, false, batch, ACTIONS);
        int layer = 0;
        for (int width : config.widths()) {
            for (int c = 0; c < config.convsPerStage(); c++, layer++) {
                x = ops.conv2d(x, sd.getVariable("conv" + layer + ".weight"), sd.getVariable("conv" + layer + ".bias"),
                        width, 3, c == 0 ? 2 : 1, 1);
                x = ops.groupNorm(x, config.groups(), sd.getVariable("norm" + layer + ".weight"),
                        sd.getVariable("norm" + layer + ".bias"), NORM_EPS);
                x = ops.silu(x);
            }
        }
        Tensor pooled = new Tensor(sd.mean(x.var(), 2, 3), batch, x.dim(1));
        Tensor subject = graph.name(ops.linear(pooled, sd.getVariable("subject.weight"),
                sd.getVariable("subject.bias"), SUBJECTS), SUBJECT_LOGITS);
        Tensor action = graph.name(ops.linear(pooled, sd.getVariable("action.weight"),
                sd.getVariable("action.bias"), ACTIONS), ACTION_LOGITS);
        SDVariable total = CrossEntropy.sum(sd, subject.var(), subjectTarget.var())
                .add(CrossEntropy.sum(sd, action.var(), actionTarget.var()));
        graph.name(new Tensor(total.div(batch)), LOSS);
    }

    JudgeConfig config() { return config; }

    int batch() { return batch; }

    /** The live weight arrays by name (in place updates change the net). */
    Map<String, INDArray> parameters() { return parameters; }

    List<String> parameterNames() { return new ArrayList<>(parameters.keySet()); }

    /** Logits of both heads for a full batch of images [batch, 3, size, size] in [-1, 1]. */
    Logits logits(INDArray images) {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(IMAGES, images);
        // the loss is not asked for, but placeholders of the graph must still be fed with the right shapes
        in.put(SUBJECT_TARGET, Nd4j.zeros(DataType.FLOAT, batch, SUBJECTS));
        in.put(ACTION_TARGET, Nd4j.zeros(DataType.FLOAT, batch, ACTIONS));
        Map<String, INDArray> out = graph.run(in, SUBJECT_LOGITS, ACTION_LOGITS);
        return new Logits(out.get(SUBJECT_LOGITS), out.get(ACTION_LOGITS));
    }

    /** The mean loss over the batch (sum of both heads' cross-entropies). */
    double loss(INDArray images, INDArray subjectOneHot, INDArray actionOneHot) {
        return graph.run(feed(images, subjectOneHot, actionOneHot), LOSS).get(LOSS).getDouble(0);
    }

    /** The loss and its gradient for every parameter ("grad:" + name). */
    Map<String, INDArray> gradients(INDArray images, INDArray subjectOneHot, INDArray actionOneHot) {
        return graph.gradients(feed(images, subjectOneHot, actionOneHot), LOSS,
                parameterNames().toArray(String[]::new), LOSS);
    }

    private static Map<String, INDArray> feed(INDArray images, INDArray subjectOneHot, INDArray actionOneHot) {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(IMAGES, images);
        in.put(SUBJECT_TARGET, subjectOneHot);
        in.put(ACTION_TARGET, actionOneHot);
        return in;
    }

    private static INDArray gaussian(SplittableRandom rng, double std, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (nextGaussian(rng) * std);
        return Nd4j.create(values, shape, 'c');
    }

    /** Box-Muller: SplittableRandom has no Gaussian of its own on Java 17. */
    private static double nextGaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Both heads' logits, [batch, 8] and [batch, 9]. */
    record Logits(INDArray subject, INDArray action) {
    }
}

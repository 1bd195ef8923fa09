package dev.adi4j.harness.bench;

import dev.adi4j.diffusion.nn.AttentionPair;
import dev.adi4j.diffusion.nn.BasicTransformerBlock;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.RandomParameters;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The block-level workloads of {@code shared/bench/workloads.md}, built from adi4j's own modules with random
 * weights (N(0, 0.02), norm gains 1, biases 0): R1 a ResNet block, A1 the attention pair of a transformer block,
 * T1 the full BasicTransformerBlock of SD 2.1's first level. Each is timed forward and forward+backward of
 * loss = mean(out^2). {@code size} (R1's H = W) and {@code tokens} (A1/T1's sequence length) can be shrunk for
 * cheap development runs; the defaults are the workloads.md sizes.
 */
public final class BlockBench {
    /** R1's spatial size and A1/T1's token count in workloads.md (SD 2.1 level 0 at 512x512). */
    public static final int FULL_SIZE = 64;
    public static final int FULL_TOKENS = FULL_SIZE * FULL_SIZE;
    public static final List<String> WORKLOADS = List.of("R1", "A1", "T1");

    static final long CHANNELS = 320;
    static final long TEMB = 1280;
    static final long CONTEXT_LEN = 77;
    static final long CONTEXT_DIM = 1024;
    static final int HEADS = 5;
    static final long DIM_HEAD = 64;
    static final String OUT = "out";
    static final String LOSS = "loss";
    private static final long SEED = 42;

    private BlockBench() {
    }

    /**
     * One workload's graph, built once and reused by every run: inputs with fixed random values, output
     * {@code out} and the scalar {@code loss} = mean(out^2); {@code wrt} are the trainable inputs.
     */
    public record Block(String name, NetGraph graph, Map<String, INDArray> values, List<String> wrt) {
        public INDArray forward() {
            return graph.run(values, OUT).get(OUT);
        }

        /** The loss and its gradients ({@code grad:<input>}) w.r.t. the trainable inputs. */
        public Map<String, INDArray> forwardBackward() {
            return graph.gradients(values, LOSS, wrt.toArray(String[]::new), LOSS);
        }

        /** The loss for other input values (e.g. a finite-difference probe), without touching {@link #values}. */
        public double loss(Map<String, INDArray> inputs) {
            return graph.run(inputs, LOSS).get(LOSS).getDouble(0);
        }
    }

    /** R1: ResnetBlock2D 320 -> 320 with a 1280-wide time embedding; x [1, 320, size, size] is trainable. */
    public static Block r1(int size) {
        return r1(size, true);
    }

    private static Block r1(int size, boolean trainable) {
        NetGraph g = NetGraph.create();
        Scope scope = Scope.root(g.sameDiff(), new RandomParameters(SEED, 0.02, false), "resnet");
        Tensor x = g.input("x", trainable, 1, CHANNELS, size, size);
        Tensor temb = g.input("temb", false, 1, TEMB);
        Tensor out = new ResnetBlock2D(scope, CHANNELS, CHANNELS, TEMB, 32, 1e-5, 1.0).forward(x, temb);
        Map<String, INDArray> values = new LinkedHashMap<>();
        values.put("x", Nd4j.randn(DataType.FLOAT, x.shape()));
        values.put("temb", Nd4j.randn(DataType.FLOAT, temb.shape()));
        return finish("R1", g, out, values, trainable ? List.of("x") : List.of());
    }

    /** A1: the attention pair of a 320-wide, 5x64-head transformer block; x and ctx are trainable. */
    public static Block a1(int tokens) {
        return a1(tokens, true);
    }

    private static Block a1(int tokens, boolean trainable) {
        return sequenceBlock("A1", tokens, trainable, (scope, x, ctx) ->
                new AttentionPair(scope, CHANNELS, HEADS, DIM_HEAD, CONTEXT_DIM).forward(x, ctx));
    }

    /** T1: the full BasicTransformerBlock (A1 plus LayerNorm -> GEGLU feed-forward + residual). */
    public static Block t1(int tokens) {
        return t1(tokens, true);
    }

    private static Block t1(int tokens, boolean trainable) {
        return sequenceBlock("T1", tokens, trainable, (scope, x, ctx) ->
                new BasicTransformerBlock(scope, CHANNELS, HEADS, DIM_HEAD, CONTEXT_DIM).forward(x, ctx));
    }

    /** The named workload (R1, A1 or T1) at the given size / token count, with trainable inputs. */
    public static Block build(String workload, int size, int tokens) {
        return build(workload, size, tokens, true);
    }

    /**
     * @param trainable false builds a forward-only graph (no trainable inputs), as generation uses: the op layer
     *                  may build such graphs differently (e.g. normalisation, see nn.Standardize)
     */
    public static Block build(String workload, int size, int tokens, boolean trainable) {
        return switch (workload) {
            case "R1" -> r1(size, trainable);
            case "A1" -> a1(tokens, trainable);
            case "T1" -> t1(tokens, trainable);
            default -> throw new IllegalArgumentException("unknown block workload '" + workload
                    + "', expected one of " + WORKLOADS);
        };
    }

    /**
     * Times each workload forward and forward+backward ("R1 forward", "R1 forward+backward", ...), building its
     * graph once; the peak RSS of each row is reset before its warm-up (see {@link Timing#measure}).
     */
    public static List<Timing.Result> run(List<String> workloads, int size, int tokens, int warmup, int runs,
                                          Consumer<String> log) {
        List<Timing.Result> results = new ArrayList<>();
        for (String w : workloads) {
            log.accept("building " + w + " (" + (w.equals("R1") ? "size " + size : tokens + " tokens") + ") ...");
            Block forwardOnly = build(w, size, tokens, false);
            log.accept(w + " forward ...");
            results.add(Timing.measure(w + " forward", warmup, runs, forwardOnly::forward));
            log.accept(results.get(results.size() - 1).row());
            forwardOnly = null;
            Block block = build(w, size, tokens, true);
            log.accept(w + " forward+backward ...");
            results.add(Timing.measure(w + " forward+backward", warmup, runs, block::forwardBackward));
            log.accept(results.get(results.size() - 1).row());
            block = null;
            // let the graph's arrays go before the next workload's peak is measured
            System.gc();
        }
        return results;
    }

    /** The number of threads ND4J's native ops use (the thread count for a like-for-like comparison). */
    public static int threads() {
        return Nd4j.getEnvironment().maxThreads();
    }

    private interface SequenceModule {
        Tensor forward(Scope scope, Tensor x, Tensor ctx);
    }

    private static Block sequenceBlock(String name, int tokens, boolean trainable, SequenceModule module) {
        NetGraph g = NetGraph.create();
        Scope scope = Scope.root(g.sameDiff(), new RandomParameters(SEED, 0.02, false), "block");
        Tensor x = g.input("x", trainable, 1, tokens, CHANNELS);
        Tensor ctx = g.input("ctx", trainable, 1, CONTEXT_LEN, CONTEXT_DIM);
        Tensor out = module.forward(scope, x, ctx);
        Map<String, INDArray> values = new LinkedHashMap<>();
        values.put("x", Nd4j.randn(DataType.FLOAT, x.shape()));
        values.put("ctx", Nd4j.randn(DataType.FLOAT, ctx.shape()));
        return finish(name, g, out, values, trainable ? List.of("x", "ctx") : List.of());
    }

    private static Block finish(String name, NetGraph g, Tensor out, Map<String, INDArray> values, List<String> wrt) {
        g.name(out, OUT);
        SDVariable loss = out.var().mul(out.var()).mean();
        loss.rename(LOSS);
        return new Block(name, g, Map.copyOf(values), List.copyOf(wrt));
    }
}

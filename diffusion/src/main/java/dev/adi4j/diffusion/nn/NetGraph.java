package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built SameDiff graph with named inputs. An input is either a placeholder (fed each run) or
 * <em>trainable</em>: then it is a SameDiff variable whose value is set before each run, because SameDiff
 * only differentiates graphs that contain at least one variable — and those trainable inputs are then the
 * only variables, so no weight gradient is ever computed. Build once, run many times.
 */
public final class NetGraph {
    private final SameDiff sd;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Map<String, Boolean> trainable = new HashMap<>();

    private NetGraph(SameDiff sd) {
        this.sd = sd;
    }

    /**
     * A new, empty graph. Its array holders are single-threaded ones: SameDiff's default holder keeps a private
     * copy of every constant it is given (a DeviceLocalNDArray in delayed mode duplicates on set), so each graph
     * held all of its weights twice — 3.5 GB per SD 2.1 UNet graph. Graphs are run from one thread at a time.
     */
    public static NetGraph create() {
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
        return new NetGraph(sd);
    }

    public SameDiff sameDiff() { return sd; }

    private long gradientCacheBytes = -1;

    /**
     * How gradient passes manage intermediates. By default as forward passes: freed at once where jemalloc is
     * loaded (ReleasingMemoryMgr), else SameDiff's array cache. With {@code bytes >= 0}: an array cache capped at
     * that size, kept between calls. Measured: the SD 2.1 UNet at 64x64 (three calls, jemalloc) peaked at 17.2 GiB,
     * 26.5 s per call freeing at once, 19.8 GiB and 38 s with SameDiff's cache; the SD 2.1 text encoder (batch 4,
     * five calls) plateaued at 6.7 GiB and 4.2-5.5 s per call with the cache but kept growing freeing at once.
     */
    public NetGraph gradientArrayCache(long bytes) {
        this.gradientCacheBytes = bytes;
        return this;
    }

    /** Declares an input of a fixed shape; trainable inputs can be differentiated against. */
    public Tensor input(String name, boolean isTrainable, long... shape) {
        SDVariable v = isTrainable
                ? sd.var(name, org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, shape))
                : sd.placeHolder(name, DataType.FLOAT, shape);
        Tensor t = new Tensor(v, shape);
        inputs.put(name, t);
        trainable.put(name, isTrainable);
        return t;
    }

    public Map<String, Tensor> inputs() { return inputs; }

    /** Gives a graph value a stable name so that callers can ask for it as an output. */
    public Tensor name(Tensor t, String name) {
        // a renamed value would lose the mark by which its op's gradient class recognises it
        if (Ops.carriesGradientMark(t.var().name())) return t.withVar(sd.identity(name, t.var()));
        t.var().rename(name);
        return t;
    }

    /** Runs the graph and returns the requested outputs (detached copies). */
    public Map<String, INDArray> run(Map<String, INDArray> values, String... outputs) {
        Map<String, INDArray> ph = feed(values);
        Map<String, INDArray> out = planned(sd, ph, List.of(outputs));
        if (out == null) {
            ReleasingMemoryMgr.install(sd);
            out = sd.output(ph, outputs);
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        for (String o : outputs) copy.put(o, out.get(o).dup());
        return copy;
    }

    /**
     * Gradients of the scalar {@code loss} with respect to trainable inputs {@code wrt}, plus the values of
     * {@code outputs} from the same pass.
     */
    public Map<String, INDArray> gradients(Map<String, INDArray> values, String loss, String[] wrt, String... outputs) {
        for (String w : wrt) {
            if (!Boolean.TRUE.equals(trainable.get(w)) && sd.getVariable(w) == null) {
                throw new IllegalArgumentException("'" + w + "' is not a trainable input of this graph");
            }
        }
        SameDiff gradFn = gradFunction(loss);
        Map<String, INDArray> ph = feed(values);
        Map<String, INDArray> result = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(Arrays.asList(outputs));
        for (String w : wrt) names.add(gradientName(w, loss));
        Map<String, INDArray> all = planned(gradFn, ph, names);
        if (all == null) {
            if (gradientCacheBytes >= 0) {
                CappedArrayCache.install(gradFn, gradientCacheBytes);
            } else {
                ReleasingMemoryMgr.install(gradFn);
            }
            // SameDiff's own calculateGradientsAndOutputs switches the gradient function's array release off
            // (setEnableCache(false)), so every intermediate of a pass stays allocated until the garbage collector
            // finalises it: +6 GB of peak RSS per call on the tiny UNet at 64x64. Run as an ordinary output call.
            gradFn.setEnableCache(true);
            all = gradFn.output(ph, names.toArray(String[]::new));
        }
        for (String o : outputs) result.put(o, all.get(o).dup());
        for (String w : wrt) result.put("grad:" + w, all.get(gradientName(w, loss)).dup());
        return result;
    }

    /**
     * The forward pass of {@link #gradients} for every input but {@code varying}, whose backward can then run for
     * any number of values of {@code varying}: the ADI step's text encoder, encoded once, differentiated once per
     * sample's upstream gradient. Through the execution plan the work that does not depend on {@code varying} runs
     * once ({@link SplitGradient}; its plans are kept for the next call when they fit under
     * {@link #keepPlansUpTo}); with SameDiff's session, or for a graph the plan refuses, every backward is a whole
     * gradient pass. Close the result when done.
     */
    public GradientPasses startGradients(Map<String, INDArray> values, String loss, String[] wrt, String varying,
                                         String... outputs) {
        SameDiff gradFn = gradFunction(loss);
        List<String> names = new ArrayList<>(Arrays.asList(outputs));
        for (String w : wrt) names.add(gradientName(w, loss));
        PlanKey key = new PlanKey(gradFn, List.copyOf(names), varying);
        SplitGradient split = null;
        if (EngineOptions.current().planExecutor() && !sessionOnly.contains(key)) {
            Map<String, INDArray> ph = feed(values);
            split = splits.remove(key); // taken while in use; back at close
            if (split != null) {
                split.runForward(ph);
            } else {
                try {
                    split = SplitGradient.compile(gradFn, ph, varying, names, shared);
                } catch (ExecutionPlan.UnsupportedGraphException e) {
                    sessionOnly.add(key);
                }
            }
        }
        return new GradientPasses(key, split, values, loss, wrt, varying, outputs);
    }

    /**
     * Plans of this graph whose arenas hold at most {@code megabytes} are kept between calls (default
     * {@code -Dadi4j.plan.maxArenaMB}): for a graph run every training step at the same shapes, such as the text
     * encoder's, keeping them saves their compilation at the price of holding the memory.
     */
    public NetGraph keepPlansUpTo(long megabytes) {
        this.keptArenaBytes = megabytes << 20;
        return this;
    }

    private long keptArenaBytes = EngineOptions.current().planMaxArenaMB() << 20;

    private SharedArena shared;

    /**
     * This graph's plans lay their values out in {@code arena}, which other graphs' plans share, and are all kept:
     * for graphs that run one at a time whose outputs are copied before the next runs (every {@link #run} and
     * {@link #gradients} result is a copy). A plan the arena cannot hold yet runs once in an arena of its own and
     * asks the arena to grow ({@link SharedArena#grow}, by its owner, between passes). Of the split plans of
     * {@link #startGradients}, the backward's values go there too; the forward keeps an arena of its own, since its
     * values must outlive other graphs' runs.
     */
    public NetGraph shareArena(SharedArena arena) {
        this.shared = arena;
        return this;
    }

    /** One forward pass and its backward passes; see {@link #startGradients}. */
    public final class GradientPasses implements AutoCloseable {
        private final PlanKey key;
        private final SplitGradient split;
        private final Map<String, INDArray> values;
        private final String loss;
        private final String[] wrt;
        private final String varying;
        private final String[] outputs;
        private Map<String, INDArray> forwardOutputs;

        private GradientPasses(PlanKey key, SplitGradient split, Map<String, INDArray> values, String loss,
                               String[] wrt, String varying, String[] outputs) {
            this.key = key;
            this.split = split;
            this.values = values;
            this.loss = loss;
            this.wrt = wrt;
            this.varying = varying;
            this.outputs = outputs;
        }

        /** The requested outputs that do not depend on {@code varying} (detached copies). */
        public Map<String, INDArray> outputs() {
            if (forwardOutputs == null) {
                forwardOutputs = new LinkedHashMap<>();
                if (split != null) {
                    split.forwardOutputs().forEach((k, v) -> forwardOutputs.put(k, v.dup()));
                } else {
                    forwardOutputs.putAll(run(values, outputs));
                }
            }
            return forwardOutputs;
        }

        /** The requested outputs and "grad:" + each of wrt for one value of {@code varying} (detached copies). */
        public Map<String, INDArray> gradients(INDArray value) {
            if (split == null) {
                Map<String, INDArray> withValue = new LinkedHashMap<>(values);
                withValue.put(varying, value);
                return NetGraph.this.gradients(withValue, loss, wrt, outputs);
            }
            split.runBackward(feed(Map.of(varying, value)).get(varying));
            Map<String, INDArray> all = split.outputs();
            Map<String, INDArray> result = new LinkedHashMap<>();
            for (String o : outputs) result.put(o, all.get(o).dup());
            for (String w : wrt) result.put("grad:" + w, all.get(gradientName(w, loss)).dup());
            return result;
        }

        @Override
        public void close() {
            if (split == null) return;
            if (split.arenaBytes() <= keptArenaBytes && !splits.containsKey(key)) {
                splits.put(key, split);
            } else {
                split.close();
            }
        }
    }

    private final Map<PlanKey, SplitGradient> splits = new HashMap<>();

    private record PlanKey(SameDiff function, List<String> outputs, String varying) {
        PlanKey(SameDiff function, List<String> outputs) {
            this(function, outputs, null);
        }
    }

    private final Map<PlanKey, ExecutionPlan> plans = new HashMap<>();
    /** Output sets run by SameDiff's session: graphs the plan refuses, or whose arena exceeds the cap. */
    private final java.util.Set<PlanKey> sessionOnly = new java.util.HashSet<>();

    /**
     * The values of {@code names} through this graph's {@link ExecutionPlan} (compiled on first use), or null when
     * SameDiff's session is to run it: with {@code -Dadi4j.executor=samediff}, for graphs the plan refuses, and for
     * graphs whose intermediates exceed {@code -Dadi4j.plan.maxArenaMB} — a plan keeps its arena between runs, which
     * pays on small graphs (per-op overhead) and would only hold memory on large ones (arithmetic-bound). Plans in a
     * shared arena ({@link #shareArena}) are always kept.
     */
    private Map<String, INDArray> planned(SameDiff function, Map<String, INDArray> ph, List<String> names) {
        EngineOptions options = EngineOptions.current();
        if (!options.planExecutor()) return null;
        PlanKey key = new PlanKey(function, List.copyOf(names));
        if (sessionOnly.contains(key)) return null;
        ExecutionPlan plan = plans.get(key);
        if (plan != null && !plan.valid()) {
            plans.remove(key); // its shared arena grew for another graph's plan: lay it out again
            plan.close();
            plan = null;
        }
        if (plan != null) {
            plan.run(ph);
            return plan.outputs();
        }
        try {
            plan = shared == null ? ExecutionPlan.compile(function, ph, names)
                    : ExecutionPlan.compile(function, ph, names, shared);
        } catch (ExecutionPlan.UnsupportedGraphException e) {
            sessionOnly.add(key);
            return null;
        }
        if (shared != null && plan.overflowed()) {
            // runs privately this once; the arena's owner grows it to the largest such request after the pass
            shared.request(plan.sharedBytes());
            return outputsOfOnlyRun(plan);
        }
        if (shared != null || plan.arenaBytes() <= keptArenaBytes) {
            plans.put(key, plan);
            return plan.outputs();
        }
        sessionOnly.add(key); // too large to keep
        return outputsOfOnlyRun(plan);
    }

    /** Copies of a plan's outputs, which outlive it: the plan is closed. */
    private static Map<String, INDArray> outputsOfOnlyRun(ExecutionPlan plan) {
        Map<String, INDArray> first = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : plan.outputs().entrySet()) first.put(e.getKey(), e.getValue().dup());
        plan.close();
        return first;
    }

    /** The gradient function of {@code loss}, differentiated on first use. */
    SameDiff gradFunction(String loss) {
        // setLossVariables drops SameDiff's gradient function, which would then be differentiated anew on every call
        if (!sd.getLossVariables().equals(List.of(loss))) sd.setLossVariables(loss);
        if (sd.getFunction("grad") == null) QuietStdout.call(() -> {
            sd.createGradFunction();
            return null;
        });
        return sd.getFunction("grad");
    }

    /**
     * Whether {@code loss} depends on the variable {@code name} (a trainable input or weight), i.e. whether
     * {@link #gradients} can be asked for it. A stage graph declares every weight of its network but uses few.
     */
    public boolean hasGradient(String loss, String name) {
        SDVariable v = sd.getVariable(name);
        if (v == null || notDifferentiable.contains(loss)) return false;
        try {
            gradFunction(loss);
        } catch (IllegalStateException e) {
            // SameDiff refuses graphs whose loss depends on no variable at all (e.g. a first stage without
            // a trainable sample): then nothing has a gradient, and asking again would fail the same way
            notDifferentiable.add(loss);
            return false;
        }
        return v.getGradient() != null;
    }

    private final java.util.Set<String> notDifferentiable = new java.util.HashSet<>();

    String gradientName(String wrt, String loss) {
        SDVariable g = sd.getVariable(wrt).getGradient();
        if (g == null) throw new IllegalArgumentException("'" + loss + "' does not depend on '" + wrt + "'");
        return g.name();
    }

    Map<String, INDArray> feed(Map<String, INDArray> values) {
        Map<String, INDArray> ph = new HashMap<>();
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            Tensor t = inputs.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("graph has no input '" + e.getKey() + "'");
            INDArray v = e.getValue();
            if (!Arrays.equals(v.shape(), t.shape())) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' must have shape "
                        + Arrays.toString(t.shape()) + ", got " + Arrays.toString(v.shape()));
            }
            if (v.dataType() != DataType.FLOAT) v = v.castTo(DataType.FLOAT);
            if (trainable.get(e.getKey())) {
                sd.getVariable(e.getKey()).getArr().assign(v);
            } else {
                ph.put(e.getKey(), v);
            }
        }
        return ph;
    }
}

package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.shape.ExpandDims;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.shape.Squeeze;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A built SameDiff graph (a forward graph or a gradient function) compiled for fixed input shapes and a fixed set
 * of requested outputs, then executed without SameDiff's session. SameDiff's session pays ~35 us of bookkeeping per
 * op (dependency tracking, name lookups, a native context filled and an output allocated per call, measured in
 * docs/engine.md); a tiny UNet forward is ~3,000 ops, so that bookkeeping, not arithmetic, decided small models.
 *
 * <p>Compiling is the first run: ops in dependency order, each op's native context built once with its input and
 * output arrays bound, outputs placed in an arena whose buffers are reused once every consumer of a value has run
 * (liveness, exact length), reshapes of contiguous values and identities bound as views (no op at all). Later runs
 * copy the placeholders into their bound arrays and call {@code exec(op, context)} per step. Constants and
 * variables are bound by identity, so an in-place update of a weight or a trainable input is what the next run
 * sees. The op instances are SameDiff's own, parameterised the way SameDiff's inference session does it, so values
 * equal SameDiff's (ExecutionPlanTest: the tiny UNet and its gradient function, to the bit; every golden runs
 * through the plan).
 *
 * <p>Not thread-safe; one plan per graph, input shapes and outputs. Graphs with control flow are refused
 * ({@link UnsupportedGraphException}); the caller then keeps SameDiff's session.
 */
public final class ExecutionPlan implements AutoCloseable {
    /** Thrown at compile time for graphs the plan does not handle (control flow, unknown op kinds). */
    public static final class UnsupportedGraphException extends RuntimeException {
        UnsupportedGraphException(String message) {
            super(message);
        }
    }

    private final Map<String, INDArray> placeholders;
    private final Step[] steps;
    private final Map<String, INDArray> outputs;
    private final long arenaBytes;
    private final List<INDArray> arena;
    private final int threads;
    /** The shared block this plan's values are laid out in, or null for a plan with its own arena. */
    private final SharedArena.Block block;
    private long sharedBytes;
    private boolean overflowed;

    private ExecutionPlan(Map<String, INDArray> placeholders, Step[] steps, Map<String, INDArray> outputs,
                          List<INDArray> arena, long arenaBytes, int threads, SharedArena.Block block,
                          long sharedBytes, boolean overflowed) {
        this.threads = threads;
        this.block = block;
        this.sharedBytes = sharedBytes;
        this.overflowed = overflowed;
        this.placeholders = placeholders;
        this.steps = steps;
        this.outputs = outputs;
        this.arena = arena;
        this.arenaBytes = arenaBytes;
    }

    /** Number of native op calls per run (views and identities are not calls). */
    public int steps() { return steps.length; }

    /** Bytes the plan keeps allocated between runs for intermediate values (outside a shared arena). */
    public long arenaBytes() { return arenaBytes; }

    /**
     * Bytes this plan's layout needs in a {@link SharedArena} (float values and placeholders); 0 when compiled
     * without one.
     */
    public long sharedBytes() { return sharedBytes; }

    /** Whether the shared arena was too small for this plan's layout (part of it went to a private arena). */
    public boolean overflowed() { return overflowed; }

    /** False once the shared arena this plan was laid out in has been replaced or closed; it must not run then. */
    public boolean valid() { return block == null || !block.retired(); }

    /**
     * Compiles {@code sd} for the shapes of {@code feed} (every placeholder the outputs depend on) and runs it once;
     * the values of {@code outputs} of that first run are then available through {@link #outputs()}.
     */
    public static ExecutionPlan compile(SameDiff sd, Map<String, INDArray> feed, List<String> outputs) {
        return compile(sd, feed, outputs, Map.of());
    }

    /**
     * {@link #compile(SameDiff, Map, List)} with the values of some intermediate variables {@code given}: the ops
     * producing them are not part of the plan, and their arrays are bound by identity (not copied), so the caller
     * keeps them alive and current for every run — typically another plan's requested outputs (see
     * {@link SplitGradient}).
     */
    public static ExecutionPlan compile(SameDiff sd, Map<String, INDArray> feed, List<String> outputs,
                                        Map<String, INDArray> given) {
        return compile(sd, feed, outputs, given, (SharedArena) null);
    }

    /**
     * {@link #compile(SameDiff, Map, List)} with its float values and placeholders laid out in {@code shared}'s
     * current block from its start (what does not fit goes to a private arena: {@link #overflowed()}). The plan's
     * outputs live in the block, so they must be copied before another plan of the arena runs.
     */
    public static ExecutionPlan compile(SameDiff sd, Map<String, INDArray> feed, List<String> outputs,
                                        SharedArena shared) {
        return compile(sd, feed, outputs, Map.of(), shared);
    }

    /** With values {@code given} and the rest laid out in {@code shared} when not null (see both above). */
    static ExecutionPlan compile(SameDiff sd, Map<String, INDArray> feed, List<String> outputs,
                                 Map<String, INDArray> given, SharedArena shared) {
        return compile(sd, feed, outputs, given, shared == null ? null : new SharedArena.Layout(shared.block()));
    }

    private static ExecutionPlan compile(SameDiff sd, Map<String, INDArray> feed, List<String> outputs,
                                         Map<String, INDArray> given, SharedArena.Layout layout) {
        Threads.INSTANCE.use(Threads.INSTANCE.all());
        ExecutionPlan plan = new Compiler(sd, feed, outputs, given, layout).compile();
        // The compile run had to use a thread count before the plan chose its own; multi-threaded reductions sum in
        // another order, so its last bits could differ from every later run. A plan's outputs must not depend on
        // whether a run was its first (a training run resumed from a checkpoint compiles at another step than the
        // uninterrupted one and diverged in the last bits; BaseModelTrainerTest), so the first outputs come from a
        // run under the plan's own count.
        if (plan.threads != Threads.INSTANCE.all()) {
            if (plan.overflowed) {
                // its overflow buffers were freed as it went (it cannot run again): compile it in an arena of its own
                plan.close();
                ExecutionPlan own = compile(sd, feed, outputs, given, (SharedArena.Layout) null);
                own.overflowed = true; // still asks for its layout's room
                own.sharedBytes = plan.sharedBytes;
                return own;
            }
            plan.run(feed);
        }
        return plan;
    }

    /** Runs the plan on new placeholder values (same shapes as at compile time). */
    public void run(Map<String, INDArray> feed) {
        if (!valid()) throw new IllegalStateException("this plan's shared arena was replaced; compile it again");
        for (Map.Entry<String, INDArray> e : feed.entrySet()) {
            INDArray bound = placeholders.get(e.getKey());
            if (bound == null) continue; // a placeholder the requested outputs do not depend on
            if (!Arrays.equals(bound.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("placeholder '" + e.getKey() + "' was compiled for shape "
                        + Arrays.toString(bound.shape()) + ", got " + Arrays.toString(e.getValue().shape()));
            }
            bound.assign(e.getValue());
        }
        OpExecutioner exec = Nd4j.getExecutioner();
        Threads threads = Threads.INSTANCE;
        try {
            threads.use(this.threads);
            for (Step s : steps) {
                if (PROFILE) {
                    long t0 = System.nanoTime();
                    s.exec(exec);
                    Profile.add(s, System.nanoTime() - t0);
                } else {
                    s.exec(exec);
                }
            }
        } finally {
            threads.use(threads.all());
        }
    }

    /**
     * Threads per plan. On small tensors a second thread costs more than it gives (OpenMP team start/stop per op);
     * switching the count op by op was slower still (measured on the tiny UNet, quiet machine: U16 forward 36 ms
     * on one thread, 31-150 ms on two, 150 ms switching per op; the text encoder's larger ops were 2x faster on
     * two threads). So a plan runs every op on every thread when its ops average at least
     * {@code -Dadi4j.plan.parallelElements} elements (tiny UNet at 16x16: 7.5k, 32x32: 39k; tiny text encoder:
     * 56-62k), else on one. libnd4j's loops read the environment's count, oneDNN's and OpenBLAS's OpenMP's; both
     * are set, only when the count changes.
     */
    static final class Threads {
        static final Threads INSTANCE = new Threads();
        private final int all = Math.max(1, Nd4j.getEnvironment().maxThreads());
        private int current = all;

        int all() { return all; }

        int forMeanElements(long elements) {
            return elements >= EngineOptions.current().planParallelElements() ? all : 1;
        }

        void use(int n) {
            if (n == current) return;
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            current = n;
        }
    }

    static final boolean PROFILE = Boolean.getBoolean("adi4j.plan.profile");

    /** Time per op kind over every plan run of the process ({@code -Dadi4j.plan.profile=true}), printed at exit. */
    private static final class Profile {
        private static final Map<String, long[]> BY_OP = new java.util.concurrent.ConcurrentHashMap<>();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(Profile::print));
        }

        static void add(Step s, long nanos) {
            String key = s.op().opName() + " " + s.shape();
            long[] acc = BY_OP.computeIfAbsent(key, k -> new long[2]);
            acc[0] += nanos;
            acc[1]++;
        }

        static void print() {
            Map<String, long[]> byName = new java.util.TreeMap<>();
            BY_OP.forEach((k, v) -> {
                long[] acc = byName.computeIfAbsent(k.substring(0, k.indexOf(' ')), n -> new long[2]);
                acc[0] += v[0];
                acc[1] += v[1];
            });
            System.err.println("plan profile by op:");
            byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .forEach(e -> System.err.printf("%10.1f ms %8d calls %8.1f us  %s%n", e.getValue()[0] / 1e6,
                            e.getValue()[1], e.getValue()[0] / 1e3 / e.getValue()[1], e.getKey()));
            System.err.println("plan profile by op and first input shape:");
            BY_OP.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(40)
                    .forEach(e -> System.err.printf("%10.1f ms %8d calls %8.1f us  %s%n", e.getValue()[0] / 1e6,
                            e.getValue()[1], e.getValue()[0] / 1e3 / e.getValue()[1], e.getKey()));
        }
    }

    /** The requested outputs of the last run: arrays owned by the plan, overwritten by the next run. */
    public Map<String, INDArray> outputs() { return outputs; }

    @Override
    public void close() {
        for (Step s : steps) s.close();
        for (INDArray a : arena) if (a.closeable()) a.close();
        for (INDArray a : placeholders.values()) if (a.closeable()) a.close();
    }

    /** One native call with its context bound once. */
    private record Step(DifferentialFunction op, OpContext context) {
        static long work(OpContext context) {
            long n = 0;
            for (INDArray a : context.getInputArrays()) if (a != null) n = Math.max(n, a.length());
            for (INDArray a : context.getOutputArrays()) if (a != null) n = Math.max(n, a.length());
            return n;
        }

        String shape() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(2, context.numInputArguments()); i++) {
                INDArray a = context.getInputArray(i);
                if (a != null) sb.append(i == 0 ? "" : " x ").append(Arrays.toString(a.shape()));
            }
            if (op instanceof DynamicCustomOp d && d.iArgs().length > 0) sb.append(" i").append(Arrays.toString(d.iArgs()));
            return sb.toString();
        }

        void exec(OpExecutioner exec) {
            if (op instanceof CustomOp c) {
                exec.exec(c, context);
            } else {
                exec.exec((Op) op, context);
            }
        }

        void close() {
            closeQuietly(context);
        }
    }

    private static void closeQuietly(OpContext context) {
        try {
            context.close();
        } catch (Exception e) {
            // a native context that cannot be closed is only a leak; nothing depends on it
        }
    }

    /**
     * The ops the requested outputs depend on, each after the ops producing its inputs (iterative DFS); the walk
     * stops at the variables in {@code stopAt}, whose values are supplied from outside.
     */
    static List<SameDiffOp> dependencyOrder(SameDiff sd, List<String> requested, Set<String> stopAt) {
        Map<String, SameDiffOp> ops = sd.getOps();
        Map<String, Variable> vars = sd.getVariables();
        List<SameDiffOp> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> entered = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>();
        for (String r : requested) {
            Variable v = vars.get(r);
            if (v == null) throw new IllegalArgumentException("graph has no variable '" + r + "'");
            if (v.getOutputOfOp() != null && !stopAt.contains(r)) stack.push(v.getOutputOfOp());
        }
        while (!stack.isEmpty()) {
            String name = stack.peek();
            if (done.contains(name)) {
                stack.pop();
                continue;
            }
            SameDiffOp op = ops.get(name);
            if (entered.add(name)) {
                if (op.getControlDeps() != null && !op.getControlDeps().isEmpty()) {
                    throw new UnsupportedGraphException("op '" + name + "' has control dependencies");
                }
                List<String> inputs = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
                for (String in : inputs) {
                    if (stopAt.contains(in)) continue;
                    String producer = vars.get(in).getOutputOfOp();
                    if (producer != null && !done.contains(producer)) {
                        if (entered.contains(producer)) {
                            throw new UnsupportedGraphException("graph has a cycle through '" + producer + "'");
                        }
                        stack.push(producer);
                    }
                }
            } else {
                stack.pop();
                done.add(name);
                order.add(op);
            }
        }
        return order;
    }

    /** Builds the plan in one pass that is also the first run (shapes of later ops depend on earlier values). */
    private static final class Compiler {
        private final SameDiff sd;
        private final Map<String, INDArray> feed;
        private final List<String> requested;
        private final Map<String, INDArray> given;
        /** Value of every variable computed or bound so far. */
        private final Map<String, INDArray> values = new HashMap<>();
        /** Arena buffer a value lives in (itself or the base of a view); absent for constants and placeholders. */
        private final Map<String, INDArray> bufferOf = new HashMap<>();
        /** Remaining uses of each arena buffer, by identity. */
        private final Map<INDArray, Integer> pending = new java.util.IdentityHashMap<>();
        private final Map<String, Integer> usesLeft = new HashMap<>();
        private final Map<String, Deque<INDArray>> free = new HashMap<>();
        private final List<INDArray> arena = new ArrayList<>();
        private final Map<String, INDArray> boundPlaceholders = new LinkedHashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private long arenaBytes;
        /**
         * Values read or written by bitcast, which stay out of a shared block: libnd4j's bitcast copies whole
         * buffers and failed on views of the block ("DataBuffer::memcpy: Source data buffer is larger than
         * destination").
         */
        private final Set<String> outsideBlock = new HashSet<>();
        /** The second cast of each float -> int -> float round trip, by its output: the value it is an alias of. */
        private final Map<String, String> roundTrips = new HashMap<>();
        /** Offset in the layout of each buffer placed there (also those beyond the block's end), by identity. */
        private final Map<INDArray, Long> offsets = new java.util.IdentityHashMap<>();
        /** The private buffers of values placed beyond the block's end. */
        private final Set<INDArray> overflow = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        /** Where float values and placeholders go (null: a private arena). */
        private final SharedArena.Layout layout;
        private boolean overflowed;

        Compiler(SameDiff sd, Map<String, INDArray> feed, List<String> requested, Map<String, INDArray> given,
                 SharedArena.Layout layout) {
            this.sd = sd;
            this.feed = feed;
            this.requested = requested;
            this.given = given;
            this.layout = layout;
        }

        ExecutionPlan compile() {
            List<SameDiffOp> order = withoutRoundTripCasts(order());
            if (layout != null) keepBitcastValuesOutsideBlock(order);
            for (SameDiffOp op : order) {
                for (String in : inputsOf(op)) usesLeft.merge(in, 1, Integer::sum);
            }
            // requested outputs are never released
            for (String r : requested) usesLeft.merge(r, 1 << 30, Integer::sum);
            bindPlaceholders(order);
            for (SameDiffOp op : order) place(op);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String r : requested) out.put(r, value(r));
            long total = 0;
            for (Step st : steps) total += Step.work(st.context());
            long mean = steps.isEmpty() ? 0 : total / steps.size();
            int threads = Threads.INSTANCE.forMeanElements(mean);
            if (PROFILE) {
                String shared = layout == null ? "" : ", shared layout " + (layout.peakBytes() >> 10) + " KiB"
                        + (overflowed ? " (did not fit)" : "");
                System.err.printf("plan compiled: %d steps, %d elements per op on average, %d thread(s), arena %d KiB%s%n",
                        steps.size(), mean, threads, arenaBytes >> 10, shared);
            }
            return new ExecutionPlan(boundPlaceholders, steps.toArray(Step[]::new), out, arena, arenaBytes, threads,
                    layout == null ? null : layout.block(), layout == null ? 0 : layout.peakBytes(), overflowed);
        }

        /**
         * Finds the float -> int -> float bit casts of {@link Ops#detach}: the second cast's value is an alias of the
         * first cast's input (recorded in roundTrips), and the first cast is dropped when only such second casts read
         * it. libnd4j's bitcast copies whole buffers; a detached value costs nothing in a plan.
         */
        private List<SameDiffOp> withoutRoundTripCasts(List<SameDiffOp> order) {
            Map<String, SameDiffOp> producer = producers(order);
            Map<String, Integer> readers = new HashMap<>();
            for (SameDiffOp op : order) {
                if (op.getInputsToOp() != null) for (String in : op.getInputsToOp()) readers.merge(in, 1, Integer::sum);
            }
            Map<String, Integer> roundTripReaders = new HashMap<>();
            for (SameDiffOp op : order) {
                if (!isBitcast(op)) continue;
                String mid = op.getInputsToOp().get(0);
                SameDiffOp first = producer.get(mid);
                if (first == null || !isBitcast(first)) continue;
                String source = first.getInputsToOp().get(0);
                String out = op.getOutputsOfOp().get(0);
                if (sd.getVariable(source).dataType() != sd.getVariable(out).dataType()) continue;
                roundTrips.put(out, source);
                roundTripReaders.merge(mid, 1, Integer::sum);
            }
            if (roundTrips.isEmpty()) return order;
            List<SameDiffOp> kept = new ArrayList<>(order.size());
            for (SameDiffOp op : order) {
                String out = op.getOutputsOfOp().isEmpty() ? null : op.getOutputsOfOp().get(0);
                boolean onlyRoundTrips = out != null && isBitcast(op) && !requested.contains(out)
                        && roundTripReaders.getOrDefault(out, 0).equals(readers.get(out));
                if (!onlyRoundTrips) kept.add(op);
            }
            return kept;
        }

        /** The op of {@code order} producing each value. */
        private static Map<String, SameDiffOp> producers(List<SameDiffOp> order) {
            Map<String, SameDiffOp> producer = new HashMap<>();
            for (SameDiffOp op : order) for (String o : op.getOutputsOfOp()) producer.put(o, op);
            return producer;
        }

        private static boolean isBitcast(SameDiffOp op) {
            return op.getOp() instanceof DynamicCustomOp d && "bitcast".equals(d.opName())
                    && op.getInputsToOp() != null && !op.getInputsToOp().isEmpty() && op.getOutputsOfOp().size() == 1;
        }

        /** The values an op reads: a round-trip cast reads its source. */
        private List<String> inputsOf(SameDiffOp op) {
            String source = roundTripSource(op);
            if (source != null) return List.of(source);
            return op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
        }

        /** The value a round-trip cast is an alias of; null for any other op. */
        private String roundTripSource(SameDiffOp op) {
            return op.getOutputsOfOp().size() == 1 ? roundTrips.get(op.getOutputsOfOp().get(0)) : null;
        }

        /**
         * Placeholders are written before the first step of every run, so they are placed before any value: placed at
         * first use, one could land in a block range an earlier value had used and freed.
         */
        private void bindPlaceholders(List<SameDiffOp> order) {
            for (SameDiffOp op : order) {
                for (String in : inputsOf(op)) {
                    if (!given.containsKey(in) && sd.getVariable(in).getVariableType() == VariableType.PLACEHOLDER) {
                        value(in);
                    }
                }
            }
        }

        /** Marks the values bitcast reads or writes, and the values they are views of (see outsideBlock). */
        private void keepBitcastValuesOutsideBlock(List<SameDiffOp> order) {
            Map<String, SameDiffOp> producer = producers(order);
            Deque<String> todo = new ArrayDeque<>();
            for (SameDiffOp op : order) {
                if (isBitcast(op) && !roundTrips.containsKey(op.getOutputsOfOp().get(0))) {
                    todo.addAll(op.getOutputsOfOp());
                    if (op.getInputsToOp() != null) todo.addAll(op.getInputsToOp());
                }
            }
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (!outsideBlock.add(n)) continue;
                SameDiffOp p = producer.get(n);
                DifferentialFunction df = p == null ? null : p.getOp();
                boolean mayBeView = df instanceof Reshape || df instanceof ExpandDims || df instanceof Squeeze
                        || df instanceof Identity;
                if (mayBeView && p.getInputsToOp() != null && !p.getInputsToOp().isEmpty()) {
                    todo.push(p.getInputsToOp().get(0));
                }
            }
        }

        private List<SameDiffOp> order() {
            return dependencyOrder(sd, requested, given.keySet());
        }

        private INDArray value(String name) {
            INDArray v = values.get(name);
            if (v != null) return v;
            v = given.get(name);
            if (v != null) {
                values.put(name, v);
                return v;
            }
            SDVariable var = sd.getVariable(name);
            VariableType type = var.getVariableType();
            if (type == VariableType.PLACEHOLDER) {
                INDArray given = feed.get(name);
                if (given == null) throw new IllegalArgumentException("placeholder '" + name + "' was not given");
                // scalars and empty values stay out of the arena, as in allocate()
                INDArray bound = given.rank() == 0 || given.isEmpty()
                        ? Nd4j.createUninitializedDetached(var.dataType(), given.shape())
                        : (inLayout(name, var.dataType()) ? newLayoutBuffer(given.length())
                        : newPrivateBuffer(var.dataType(), given.length())).reshape('c', given.shape());
                bound.assign(given);
                boundPlaceholders.put(name, bound);
                v = bound;
            } else if (type == VariableType.CONSTANT || type == VariableType.VARIABLE) {
                v = sd.getArrForVarName(name);
                if (v == null) throw new IllegalStateException("variable '" + name + "' has no array");
            } else {
                throw new IllegalStateException("value '" + name + "' is used before the op producing it ran");
            }
            values.put(name, v);
            return v;
        }

        private void place(SameDiffOp sdOp) {
            DifferentialFunction df = sdOp.getOp();
            String roundTripSource = roundTripSource(sdOp);
            if (roundTripSource != null) {
                alias(sdOp.getOutputsOfOp().get(0), roundTripSource, value(roundTripSource));
                consumed(roundTripSource);
                return;
            }
            List<String> inNames = sdOp.getInputsToOp() == null ? List.of() : sdOp.getInputsToOp();
            INDArray[] in = new INDArray[inNames.size()];
            for (int i = 0; i < in.length; i++) in[i] = value(inNames.get(i));
            List<String> outNames = sdOp.getOutputsOfOp();

            if (df instanceof Identity && in.length >= 1 && outNames.size() == 1) {
                alias(outNames.get(0), inNames.get(0), in[0]);
            } else if (df instanceof CustomOp custom) {
                placeCustom(df, custom, in, inNames, outNames);
            } else if (df instanceof Op legacy) {
                placeLegacy(df, legacy, in, outNames);
            } else {
                throw new UnsupportedGraphException("op '" + sdOp.getName() + "' (" + df.getClass().getSimpleName()
                        + ") is neither a custom nor a legacy op");
            }
            for (String n : inNames) consumed(n);
            // outputs nobody reads (an op's unused second output) are free once the op has written them
            for (String n : outNames) {
                INDArray buffer = bufferOf.get(n);
                if (buffer != null && pending.get(buffer) != null && pending.get(buffer) == 0) release(buffer);
            }
        }

        private void placeCustom(DifferentialFunction df, CustomOp custom, INDArray[] in, List<String> inNames,
                                 List<String> outNames) {
            DynamicCustomOp dyn = (DynamicCustomOp) custom;
            OpContext ctx = Nd4j.getExecutioner().buildContext();
            ctx.setArgs(in, dyn.iArgs(), dyn.dArgs(), dyn.tArgs(), dyn.bArgs());
            List<LongShapeDescriptor> shapes = dyn.calculateOutputShape(ctx);
            if (shapes.size() != outNames.size()) {
                throw new UnsupportedGraphException("op '" + df.getOwnName() + "' (" + dyn.opName() + ") gives "
                        + shapes.size() + " output shapes for " + outNames.size() + " outputs");
            }
            if (outNames.size() == 1 && shapes.get(0).getShape().length > 0 && isView(df, dyn, in)) {
                INDArray view = in[0].reshape('c', shapes.get(0).getShape());
                // ND4J wraps a view's buffer in a new object: same memory means same address
                if (view.data().address() == in[0].data().address() && view.offset() == in[0].offset()) {
                    alias(outNames.get(0), inNames.get(0), view);
                    closeQuietly(ctx);
                    return;
                }
            }
            INDArray[] out = new INDArray[outNames.size()];
            for (int i = 0; i < out.length; i++) out[i] = allocateOutput(outNames.get(i), shapes.get(i));
            ctx.setOutputArrays(out);
            if (!usesPlatformHelper(dyn, in)) ctx.allowHelpers(false);
            addStep(df, ctx);
        }

        private void placeLegacy(DifferentialFunction df, Op op, INDArray[] in, List<String> outNames) {
            if (outNames.size() != 1) {
                throw new UnsupportedGraphException("legacy op '" + df.getOwnName() + "' with " + outNames.size() + " outputs");
            }
            OpContext ctx = Nd4j.getExecutioner().buildContext();
            INDArray[] inputs = in;
            if (op instanceof ReduceOp && in.length == 2 && in[1].dataType().isIntType()) {
                // the reduced axes given as an array input, as SameDiff's session handles it
                int[] axes = in[1].toIntVector();
                df.setDimensions(Shape.normalizeAxis(in[0].rank(), axes));
                inputs = new INDArray[]{in[0]};
            } else if (op instanceof ScalarOp scalar && in.length == 2 && in[1].isScalar()) {
                scalar.setScalar(in[1]);
                inputs = new INDArray[]{in[0]};
            }
            ctx.setInputArrays(inputs);
            List<LongShapeDescriptor> shapes = ((org.nd4j.linalg.api.ops.BaseOp) op).calculateOutputShape(ctx);
            if (shapes.size() != 1) {
                throw new UnsupportedGraphException("legacy op '" + df.getOwnName() + "' gives " + shapes.size() + " shapes");
            }
            ctx.setOutputArrays(allocateOutput(outNames.get(0), shapes.get(0)));
            addStep(df, ctx);
        }

        /** Runs the op once (this is the first run) and keeps it as a step. */
        private void addStep(DifferentialFunction df, OpContext ctx) {
            Step step = new Step(df, ctx);
            step.exec(Nd4j.getExecutioner());
            steps.add(step);
        }

        /** The output array of {@code name}, in the variable's declared type (a shape function may say otherwise). */
        private INDArray allocateOutput(String name, LongShapeDescriptor d) {
            DataType type = sd.getVariable(name).dataType();
            return allocate(name, d.dataType() == type ? d : d.asDataType(type));
        }

        /**
         * Whether an op may use libnd4j's platform helper (oneDNN). For small matrix products oneDNN's per-call setup
         * dominates: on the tiny UNet a matmul took ~225 us through oneDNN and ~55 us through libnd4j's own
         * gemm (same machine, same run); conv2d was faster with oneDNN at every size measured. The choice is by
         * shape only, never by timing, so that a plan computes the same bits in every process (resumed training
         * is bit-identical).
         */
        private static boolean usesPlatformHelper(DynamicCustomOp op, INDArray[] in) {
            if (!"matmul".equals(op.opName()) || in.length < 2) return true;
            long rowsTimesInner = in[0].length();
            long cols = in[1].size(in[1].rank() - 1);
            return rowsTimesInner * cols >= SMALL_MATMUL_MACS;
        }

        /** Multiply-accumulates below which a matmul skips oneDNN (see usesPlatformHelper). */
        private static final long SMALL_MATMUL_MACS = 1L << 22;

        /** Reshapes (in C order), dimension insertions and removals of a contiguous value are views of it. */
        private static boolean isView(DifferentialFunction df, DynamicCustomOp op, INDArray[] in) {
            if (!(df instanceof Reshape || df instanceof ExpandDims || df instanceof Squeeze)) return false;
            if (in.length == 0 || in[0].isEmpty() || in[0].ordering() != 'c') return false;
            if (!Shape.hasDefaultStridesForShape(in[0])) return false;
            for (long a : op.iArgs()) if (a == -102 || a == 102) return false; // Fortran-order reshape
            return true;
        }

        private void alias(String name, String base, INDArray view) {
            values.put(name, view);
            INDArray buffer = bufferOf.get(base);
            if (buffer != null) {
                bufferOf.put(name, buffer);
                pending.merge(buffer, usesLeft.getOrDefault(name, 0), Integer::sum);
            }
        }

        private INDArray allocate(String name, LongShapeDescriptor d) {
            INDArray a;
            if (d.isEmpty() || d.getShape().length == 0) {
                // empty values and scalars stay out of the arena: a rank-0 view of a pooled buffer crashed libnd4j
                a = Nd4j.create(d);
                values.put(name, a);
                return a;
            }
            long length = org.nd4j.common.util.ArrayUtil.prodLong(d.getShape());
            INDArray buffer;
            if (inLayout(name, d.dataType())) {
                buffer = newLayoutBuffer(length);
            } else {
                Deque<INDArray> pool = free.get(poolKey(d.dataType(), length));
                buffer = pool == null ? null : pool.poll();
                if (buffer == null) buffer = newPrivateBuffer(d.dataType(), length);
            }
            a = buffer.reshape('c', d.getShape()); // a view: the buffer has exactly this many elements
            values.put(name, a);
            bufferOf.put(name, buffer);
            pending.put(buffer, usesLeft.getOrDefault(name, 0));
            return a;
        }

        private boolean inLayout(String name, DataType type) {
            return layout != null && type == DataType.FLOAT && !outsideBlock.contains(name);
        }

        /** A float buffer placed in the layout: a view of the block, or a private buffer beyond its end. */
        private INDArray newLayoutBuffer(long length) {
            long offset = layout.place(length);
            INDArray buffer = layout.view(offset, length);
            if (buffer == null) {
                overflowed = true;
                buffer = newPrivateBuffer(DataType.FLOAT, length);
                overflow.add(buffer);
            }
            offsets.put(buffer, offset);
            return buffer;
        }

        private INDArray newPrivateBuffer(DataType type, long length) {
            INDArray buffer = Nd4j.createUninitializedDetached(type, length);
            arena.add(buffer);
            arenaBytes += length * type.width();
            return buffer;
        }

        private void consumed(String name) {
            INDArray buffer = bufferOf.get(name);
            if (buffer == null) return;
            int left = pending.merge(buffer, -1, Integer::sum);
            if (left == 0) release(buffer);
        }

        private void release(INDArray buffer) {
            pending.remove(buffer);
            Long offset = offsets.remove(buffer);
            if (offset != null) {
                layout.release(offset, buffer.length());
                if (overflow.remove(buffer)) {
                    arena.removeIf(a -> a == buffer);
                    // a value the block could not hold: freed now rather than pooled by its exact length, so that a
                    // plan that does not fit (the first pass, before the block has grown) holds only its live values,
                    // as SameDiff's session does; such a plan runs this once and is compiled again in the block
                    arenaBytes -= buffer.length() * buffer.dataType().width();
                    buffer.close();
                }
            } else {
                free.computeIfAbsent(poolKey(buffer.dataType(), buffer.length()), k -> new ArrayDeque<>()).push(buffer);
            }
        }

        /** Buffers are pooled by type and exact length. */
        private static String poolKey(DataType type, long length) {
            return type + ":" + length;
        }
    }
}


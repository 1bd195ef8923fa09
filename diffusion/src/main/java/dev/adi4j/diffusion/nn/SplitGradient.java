package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A gradient function run for several values of one placeholder with the work that does not depend on it done once.
 * The ops split in two: those reached from the varying placeholder (the backward of {@code sum(out * upstream)},
 * say) and the rest (the forward pass whose activations the backward reads). A forward plan computes the rest once
 * and keeps, as its outputs, the values the backward ops read; a backward plan binds those arrays by identity and
 * runs once per value. Same ops, same inputs: each gradient equals a whole gradient-function run with that value
 * (up to the order multi-threaded reductions sum in, since each plan picks its own thread count).
 *
 * <p>Why: SameDiff's gradient function recomputes the forward pass on every call; ADI needs three
 * vector-Jacobian products of the text encoder per step (one per sample), which cost three forward passes more than
 * PyTorch's retained graph.
 */
final class SplitGradient implements AutoCloseable {
    private final SameDiff function;
    private final ExecutionPlan forward;
    private final String varying;
    private final List<String> names;
    private final Set<String> saved;
    private final List<String> backwardOutputs;
    private ExecutionPlan backward;
    private Map<String, INDArray> feed;
    /** Where the backward plan lays out its values (null: an arena of its own). */
    private final SharedArena backwardArena;

    private SplitGradient(SameDiff function, ExecutionPlan forward, String varying, List<String> names,
                          Set<String> saved, List<String> backwardOutputs, Map<String, INDArray> feed,
                          SharedArena backwardArena) {
        this.function = function;
        this.backwardArena = backwardArena;
        this.forward = forward;
        this.varying = varying;
        this.names = List.copyOf(names);
        this.saved = saved;
        this.backwardOutputs = backwardOutputs;
        this.feed = feed;
    }

    /**
     * Compiles the forward part for the shapes of {@code feed} (every placeholder but {@code varying}) and runs it
     * once; the backward part compiles on the first {@link #runBackward}.
     *
     * @throws ExecutionPlan.UnsupportedGraphException for graphs a plan does not handle
     */
    static SplitGradient compile(SameDiff function, Map<String, INDArray> feed, String varying, List<String> names) {
        return compile(function, feed, varying, names, null);
    }

    /**
     * As above, with the backward plan's values laid out in {@code backwardArena} when not null (its intermediates
     * live only during a backward run; the forward's saved values stay in the forward plan's own arena, since they
     * must outlive other plans' runs).
     */
    static SplitGradient compile(SameDiff function, Map<String, INDArray> feed, String varying, List<String> names,
                                 SharedArena backwardArena) {
        List<SameDiffOp> order = ExecutionPlan.dependencyOrder(function, names, Set.of());
        Set<String> reached = new HashSet<>(Set.of(varying));
        Set<String> saved = new LinkedHashSet<>();
        Map<String, Set<String>> readers = new HashMap<>();
        for (SameDiffOp op : order) {
            List<String> in = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
            if (in.stream().noneMatch(reached::contains)) continue;
            reached.addAll(op.getOutputsOfOp());
            for (String i : in) {
                if (!reached.contains(i) && function.getVariable(i).getVariableType() == VariableType.ARRAY) {
                    saved.add(i);
                    readers.computeIfAbsent(i, x -> new TreeSet<>()).add(op.getOp().opName());
                }
            }
        }
        Set<String> forwardOutputs = new LinkedHashSet<>(saved);
        List<String> backwardOutputs = new ArrayList<>();
        for (String n : names) {
            if (reached.contains(n)) {
                backwardOutputs.add(n);
            } else {
                forwardOutputs.add(n);
            }
        }
        ExecutionPlan fwd = forwardOutputs.isEmpty() ? null
                : ExecutionPlan.compile(function, feed, List.copyOf(forwardOutputs));
        if (ExecutionPlan.PROFILE && fwd != null) printSaved(function, fwd, saved, readers);
        return new SplitGradient(function, fwd, varying, names, saved, backwardOutputs, feed, backwardArena);
    }

    /** The values the forward keeps for the backward, by producing op, shape and the backward ops reading them. */
    private static void printSaved(SameDiff function, ExecutionPlan fwd, Set<String> saved,
                                   Map<String, Set<String>> readers) {
        Map<String, long[]> byKind = new TreeMap<>();
        long total = 0;
        for (String name : saved) {
            INDArray a = fwd.outputs().get(name);
            var producer = function.getVariableOutputOp(name);
            String kind = (producer == null ? "-" : producer.opName()) + " " + Arrays.toString(a.shape())
                    + " read by " + readers.get(name);
            long bytes = a.length() * a.dataType().width();
            total += bytes;
            long[] sum = byKind.computeIfAbsent(kind, k -> new long[2]);
            sum[0]++;
            sum[1] += bytes;
        }
        System.err.printf("split gradient: the forward keeps %.1f MB in %d values for the backward%n", total / 1e6,
                saved.size());
        byKind.forEach((kind, sum) -> System.err.printf("  %10.1f MB %5d x %s%n", sum[1] / 1e6, sum[0], kind));
    }

    /** Runs the forward part on new values of the other placeholders (same shapes as at compile time). */
    void runForward(Map<String, INDArray> feed) {
        this.feed = feed;
        if (forward != null) forward.run(feed);
    }

    /** Runs the backward part for one value of the varying placeholder, after the forward part. */
    void runBackward(INDArray value) {
        Map<String, INDArray> all = new LinkedHashMap<>(feed);
        all.put(varying, value);
        // laid out again when the shared arena grew, or when it did not fit (such a plan runs once)
        if (backward != null && (!backward.valid() || backward.overflowed())) {
            backward.close();
            backward = null;
        }
        if (backward == null) {
            Map<String, INDArray> given = new LinkedHashMap<>();
            for (String s : saved) given.put(s, forward.outputs().get(s));
            backward = ExecutionPlan.compile(function, all, backwardOutputs, given, backwardArena);
            if (backward.overflowed()) backwardArena.request(backward.sharedBytes());
        } else {
            backward.run(all);
        }
    }

    /** The values of the forward part's requested names (those not depending on the varying placeholder). */
    Map<String, INDArray> forwardOutputs() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            if (!backwardOutputs.contains(n)) out.put(n, forward.outputs().get(n));
        }
        return out;
    }

    /** Every requested value of the last runs: arrays owned by the plans, overwritten by the next runs. */
    Map<String, INDArray> outputs() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, backwardOutputs.contains(n) ? backward.outputs().get(n) : forward.outputs().get(n));
        }
        return out;
    }

    /** Bytes both plans keep between runs (the backward's once it has compiled). */
    long arenaBytes() {
        return (forward == null ? 0 : forward.arenaBytes()) + (backward == null ? 0 : backward.arenaBytes());
    }

    @Override
    public void close() {
        if (forward != null) forward.close();
        if (backward != null) backward.close();
    }
}

package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.diffusion.nn.EngineOptions;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.ParameterSource;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.ShapeOnlyParameters;
import dev.adi4j.diffusion.nn.SharedArena;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradients of the UNet's denoising loss computed stage by stage (gradient checkpointing). The forward pass
 * runs each {@link UNetStage} as its own graph and keeps only the stage boundaries; the backward pass then
 * recomputes one stage at a time and differentiates it with the gradient arriving at its output, so only one
 * stage's intermediates exist at once instead of the whole network's. It costs one more forward pass, except for the
 * low-resolution stages that keep their activations ({@link #keepsActivations}). The stage plans share one
 * {@link SharedArena}.
 *
 * <p>Why at this level: SameDiff M2.1 has no recomputation hook, but it differentiates any graph, and
 * {@code sum(output * upstream)} has exactly {@code upstream} as its gradient with respect to {@code output}.
 */
final class CheckpointedGradients {
    private static final String HIDDEN = "hidden";
    private static final String SKIP = "skip";
    private static final String TIMESTEP = "timestep";
    private static final String UPSTREAM = "upstream";
    private static final String TARGET = "target";

    private final UNetConfig config;
    private final ParameterSource params;
    private final Map<Key, StageGraph> graphs = new HashMap<>();
    /** Stages run one at a time and their results are copies: their plans share one block of memory. */
    private final SharedArena arena = new SharedArena();
    private UNet2DConditionModel plan;

    private long keepBelowPositions = EngineOptions.current().unetKeepActivationsBelowPositions();
    private int stagesKept;

    CheckpointedGradients(UNetConfig config, ParameterSource params) {
        this.config = config;
        this.params = params;
    }

    int stagesKeptInLastPass() {
        return stagesKept;
    }

    int stageCount() {
        return plan().stages().size();
    }

    /** See {@link #keepsActivations}; 0 recomputes every stage. */
    void keepActivationsBelowPositions(long positions) {
        this.keepBelowPositions = positions;
    }

    /** A stage's graph for one input geometry ({@code trainableSample} only matters for the first stage). */
    private record Key(int stage, UNetGraphSpec spec) {
    }

    /** A built stage graph and the stage-local context input names. */
    private record StageGraph(NetGraph graph, List<String> contextInputs, boolean last) {
    }

    /** What one stage received in the forward pass: the checkpoint its backward restarts from. */
    private record Call(int stage, UNetGraphSpec spec, INDArray hidden, INDArray skip, long[] resizeTo,
                        int firstContext) {
    }

    UNet.LossGradients lossGradients(UNetGraphSpec spec, INDArray sample, INDArray timesteps, List<INDArray> contexts,
                                     INDArray target, boolean wrtSample) {
        return lossGradients(spec, sample, timesteps, contexts, target, wrtSample, List.of(), new HashMap<>());
    }

    /**
     * As above, and also d loss / d each of {@code weights} (trainable weights, graph layout) into
     * {@code weightGradients}; a weight used by several stages gets the sum of their contributions.
     */
    UNet.LossGradients lossGradients(UNetGraphSpec spec, INDArray sample, INDArray timesteps, List<INDArray> contexts,
                                     INDArray target, boolean wrtSample, List<String> weights,
                                     Map<String, INDArray> weightGradients) {
        List<UNetStage> stages = plan().stages();
        Map<Integer, NetGraph.GradientPasses> kept = new HashMap<>();
        stagesKept = 0;
        try {
            return lossGradients(spec, new Pass(stages, kept), sample, timesteps, contexts, target, wrtSample, weights,
                    weightGradients);
        } finally {
            for (NetGraph.GradientPasses p : kept.values()) p.close();
            arena.grow(); // to the largest stage plan of this pass, if one did not fit
        }
    }

    /** The stages of a pass and the forward/backward handles of those that keep their activations until used. */
    private record Pass(List<UNetStage> stages, Map<Integer, NetGraph.GradientPasses> kept) {
    }

    private UNet.LossGradients lossGradients(UNetGraphSpec spec, Pass pass, INDArray sample, INDArray timesteps,
                                             List<INDArray> contexts, INDArray target, boolean wrtSample,
                                             List<String> weights, Map<String, INDArray> weightGradients) {
        List<UNetStage> stages = pass.stages();
        Map<Integer, NetGraph.GradientPasses> kept = pass.kept();
        List<Call> calls = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        Map<String, INDArray> lastResult = new HashMap<>();
        StageWalk.run(stages, sample, plan().downsampling(), new StageWalk.Executor<INDArray>() {
            @Override
            public INDArray apply(int index, UNetStage stage, INDArray hidden, INDArray skip, long[] resizeTo,
                                  int first) {
                Call call = new Call(index, spec, hidden, skip, resizeTo, first);
                calls.add(call);
                if (index == stages.size() - 1) {
                    List<String> wrt = new ArrayList<>(List.of(HIDDEN));
                    List<String> own = weightsOf(graph(call), weights);
                    wrt.addAll(own);
                    lastResult.putAll(gradients(call, timesteps, contexts, target, wrt, "output", "loss"));
                    for (String w : own) accumulateWeight(weightGradients, w, lastResult.get("grad:" + w));
                    return lastResult.get("output");
                }
                StageGraph sg = graph(call);
                List<String> wrt = wrt(call, sg, weights, wrtSample);
                INDArray out;
                if (keepsActivations(call) && !wrt.isEmpty()) {
                    NetGraph.GradientPasses passes = sg.graph().startGradients(inputs(call, timesteps, contexts),
                            "loss", wrt.toArray(String[]::new), UPSTREAM, "output");
                    kept.put(index, passes);
                    stagesKept++;
                    out = passes.outputs().get("output");
                } else {
                    out = sg.graph().run(inputs(call, timesteps, contexts), "output").get("output");
                }
                outputs.add(out);
                return out;
            }

            @Override
            public long[] shape(INDArray value) {
                return value.shape();
            }
        });

        Map<INDArray, INDArray> gradients = new IdentityHashMap<>();
        INDArray[] contextGradients = new INDArray[contexts.size()];
        Call lastCall = calls.get(calls.size() - 1);
        accumulate(gradients, lastCall.hidden(), lastResult.get("grad:" + HIDDEN));
        for (int i = calls.size() - 2; i >= 0; i--) {
            Call call = calls.get(i);
            INDArray upstream = gradients.remove(outputs.get(i));
            if (upstream == null) throw new IllegalStateException("no gradient reached stage " + stages.get(i).name());
            StageGraph sg = graph(call);
            List<String> wrt = wrt(call, sg, weights, wrtSample);
            if (wrt.isEmpty()) continue;
            NetGraph.GradientPasses passes = kept.remove(i);
            Map<String, INDArray> r;
            if (passes != null) {
                try (passes) {
                    r = passes.gradients(upstream);
                }
            } else {
                r = gradients(call, timesteps, contexts, upstream, wrt);
            }
            for (String w : weightsOf(sg, weights)) accumulateWeight(weightGradients, w, r.get("grad:" + w));
            if (wrt.contains(HIDDEN)) accumulate(gradients, call.hidden(), r.get("grad:" + HIDDEN));
            if (call.skip() != null) accumulate(gradients, call.skip(), r.get("grad:" + SKIP));
            for (int j = 0; j < sg.contextInputs().size(); j++) {
                int k = contexts.size() == 1 ? 0 : call.firstContext() + j;
                INDArray g = r.get("grad:" + sg.contextInputs().get(j));
                contextGradients[k] = contextGradients[k] == null ? g : contextGradients[k].addi(g);
            }
        }
        return new UNet.LossGradients(lastResult.get("output"), lastResult.get("loss").getDouble(0),
                List.of(contextGradients), wrtSample ? gradients.get(sample) : null);
    }

    /**
     * What a non-last stage's backward differentiates: its running state (except the sample's, unless asked), its
     * skip connection, its contexts and the trainable weights it uses; empty when nothing upstream needs it.
     */
    private static List<String> wrt(Call call, StageGraph sg, List<String> weights, boolean wrtSample) {
        boolean hiddenTrainable = call.stage() > 0 || wrtSample;
        List<String> own = weightsOf(sg, weights);
        List<String> wrt = new ArrayList<>();
        if (!hiddenTrainable && sg.contextInputs().isEmpty() && own.isEmpty()) return wrt;
        if (hiddenTrainable) wrt.add(HIDDEN);
        if (call.skip() != null) wrt.add(SKIP);
        wrt.addAll(sg.contextInputs());
        wrt.addAll(own);
        return wrt;
    }

    /**
     * Whether a stage keeps its forward activations for its backward instead of recomputing them: those whose
     * running state has fewer than {@link EngineOptions#unetKeepActivationsBelowPositions} positions (batch x height
     * x width). Low-resolution stages hold little for their arithmetic (their weights are the largest); decided by
     * shape only, so every process computes the same bits.
     */
    private boolean keepsActivations(Call call) {
        long[] s = call.hidden().shape();
        return s[0] * s[2] * s[3] < keepBelowPositions;
    }

    /** Drops the stage graphs (their weights stay with the parameter source). */
    void clear() {
        graphs.clear();
        arena.close();
    }

    /** The weights among {@code weights} this stage's loss depends on (each stage graph declares them all). */
    private static List<String> weightsOf(StageGraph sg, List<String> weights) {
        List<String> own = new ArrayList<>();
        for (String w : weights) if (sg.graph().hasGradient("loss", w)) own.add(w);
        return own;
    }

    private static void accumulateWeight(Map<String, INDArray> gradients, String name, INDArray gradient) {
        INDArray previous = gradients.get(name);
        gradients.put(name, previous == null ? gradient : previous.addi(gradient));
    }

    private static void accumulate(Map<INDArray, INDArray> gradients, INDArray value, INDArray gradient) {
        INDArray previous = gradients.get(value);
        gradients.put(value, previous == null ? gradient : previous.addi(gradient));
    }

    /** Gradients of a stage: of the loss for the last stage, else of sum(output * upstream). */
    private Map<String, INDArray> gradients(Call call, INDArray timesteps, List<INDArray> contexts,
                                            INDArray targetOrUpstream, List<String> wrt, String... outputs) {
        StageGraph sg = graph(call);
        Map<String, INDArray> in = inputs(call, timesteps, contexts);
        in.put(sg.last() ? TARGET : UPSTREAM, targetOrUpstream);
        return sg.graph().gradients(in, "loss", wrt.toArray(String[]::new), outputs);
    }

    private Map<String, INDArray> inputs(Call call, INDArray timesteps, List<INDArray> contexts) {
        StageGraph sg = graph(call);
        Map<String, INDArray> in = new HashMap<>();
        in.put(HIDDEN, call.hidden());
        in.put(TIMESTEP, timesteps);
        if (call.skip() != null) in.put(SKIP, call.skip());
        for (int j = 0; j < sg.contextInputs().size(); j++) {
            in.put(sg.contextInputs().get(j), contexts.get(contexts.size() == 1 ? 0 : call.firstContext() + j));
        }
        return in;
    }

    private StageGraph graph(Call call) {
        UNetGraphSpec spec = call.stage() == 0 ? call.spec() : withoutSampleGradient(call.spec());
        return graphs.computeIfAbsent(new Key(call.stage(), spec), k -> build(k, call));
    }

    private static UNetGraphSpec withoutSampleGradient(UNetGraphSpec s) {
        return new UNetGraphSpec(s.batch(), s.height(), s.width(), s.seqLen(), s.layerWise(), false,
                s.trainableContext(), s.withLoss());
    }

    /** The stage list, from a model declared without weights (only stage kinds and order are read from it). */
    private UNet2DConditionModel plan() {
        if (plan == null) {
            plan = new UNet2DConditionModel(Scope.root(SameDiff.create(), new ShapeOnlyParameters(), ""), config);
        }
        return plan;
    }

    private StageGraph build(Key key, Call call) {
        // stage plans lay out in the shared arena and are all kept; the forward plans of stages that keep their
        // activations have arenas of their own, kept under the general cap (they are live during every pass anyway)
        NetGraph g = NetGraph.create().shareArena(arena);
        // the whole model is declared into each stage graph: its weights are constants over arrays shared by all graphs
        UNet2DConditionModel model = new UNet2DConditionModel(Scope.root(g.sameDiff(), params, ""), config);
        UNetStage stage = model.stages().get(key.stage());
        UNetGraphSpec s = key.spec();
        boolean last = key.stage() == model.stages().size() - 1;
        Tensor hidden = g.input(HIDDEN, key.stage() > 0 || s.trainableSample(), call.hidden().shape());
        Tensor skip = call.skip() == null ? null : g.input(SKIP, true, call.skip().shape());
        Tensor temb = model.timeEmbedding(g.input(TIMESTEP, false, s.batch()));
        List<String> contextInputs = new ArrayList<>();
        List<Tensor> contextTensors = new ArrayList<>();
        int distinct = s.layerWise() ? stage.contexts() : Math.min(stage.contexts(), 1);
        for (int j = 0; j < distinct; j++) {
            String name = "context." + j;
            contextInputs.add(name);
            contextTensors.add(g.input(name, true, s.batch(), s.seqLen(), config.crossAttentionDim()));
        }
        Contexts contexts = contextTensors.isEmpty() ? Contexts.layerWise(List.of())
                : s.layerWise() ? Contexts.layerWise(contextTensors) : Contexts.shared(contextTensors.get(0));
        Tensor out = stage.body().apply(new UNetStage.Input(hidden, skip, call.resizeTo(), temb, contexts));
        g.name(out, "output");
        Ops ops = new Ops(g.sameDiff());
        Tensor loss = last
                ? ops.mseLoss(out, g.input(TARGET, false, out.shape()))
                : ops.innerProduct(out, g.input(UPSTREAM, false, out.shape()));
        g.name(loss, "loss");
        return new StageGraph(g, List.copyOf(contextInputs), last);
    }
}

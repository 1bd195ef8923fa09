package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.nn.EngineOptions;
import dev.adi4j.diffusion.nn.FrozenParameters;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.ParameterSource;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.ShapeOnlyParameters;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.WeightReaders;
import dev.adi4j.diffusion.nn.WeightsException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A UNet with its weights, ready to run: forward passes and gradients of the denoising loss with respect to
 * the sample and/or the (shared or layer-wise) contexts. Graphs are built once per {@link UNetGraphSpec} and
 * reused; weights are loaded once and shared by all graphs.
 */
public final class UNet implements AutoCloseable {
    public static final String WEIGHTS_FILE = Component.UNET.weightsFile();

    private final UNetConfig config;
    private final ParameterSource params;
    private final AutoCloseable resources;
    private final Map<UNetGraphSpec, NetGraph> graphs = new HashMap<>();
    private final CheckpointedGradients checkpointed;
    /** Set by {@link #gradientCheckpointing}; null = by size ({@link #checkpoints}). */
    private Boolean checkpointing;

    public UNet(UNetConfig config, ParameterSource params, AutoCloseable resources) {
        this.config = config;
        this.params = params;
        this.resources = resources;
        this.checkpointed = new CheckpointedGradients(config, params);
    }

    /**
     * Whether {@link #lossGradients} recomputes activations stage by stage (gradient checkpointing) instead of
     * differentiating the whole network as one graph. Both give the same gradients; checkpointing holds one stage's
     * intermediates at a time for one extra forward pass. Without a call, passes are checkpointed by size
     * ({@link EngineOptions#unetCheckpointMinElements}; {@code -Dadi4j.unet.checkpointing=false} turns it off).
     */
    public UNet gradientCheckpointing(boolean enabled) {
        this.checkpointing = enabled;
        return this;
    }

    /**
     * In checkpointed passes, stages whose running state has fewer than {@code positions} positions (batch x height
     * x width) keep their forward activations for the backward instead of recomputing them; 0 recomputes every
     * stage. Default {@link EngineOptions#unetKeepActivationsBelowPositions}.
     */
    public UNet keepActivationsBelowPositions(long positions) {
        if (positions < 0) throw new IllegalArgumentException("positions must be >= 0, got " + positions);
        checkpointed.keepActivationsBelowPositions(positions);
        return this;
    }

    /** Stages of the last checkpointed pass that kept their activations (for tests). */
    int stagesKeptInLastPass() {
        return checkpointed.stagesKeptInLastPass();
    }

    /** Number of checkpoint stages (for tests). */
    int stageCount() {
        return checkpointed.stageCount();
    }

    /**
     * Loads the UNet of a model folder (config and weights as {@link ModelFolder} resolves them: fp32 or fp16
     * variant, one file or shards), checking every weight name and shape before any data is read.
     *
     * @throws dev.adi4j.core.io.ModelLoadException naming the folder or file: folder, config or weights
     *         missing ({@link dev.adi4j.core.model.ModelFolderException}), unusable config
     *         ({@link dev.adi4j.core.config.ConfigException}), or keys missing / unexpected / wrongly shaped
     *         ({@link WeightsException}, all listed)
     */
    public static UNet load(ModelFolder folder) {
        return load(folder, name -> false);
    }

    /**
     * Loads like {@link #load(ModelFolder)} with the weights {@code trainable} selects as SameDiff variables (see
     * {@link #weightGradients}); all other weights stay constants. Forward passes are unchanged.
     */
    public static UNet load(ModelFolder folder, java.util.function.Predicate<String> trainable) {
        UNetConfig config = folder.unet();
        // Kept open for the UNet's lifetime (closed by close()): weights are read when a graph is first built,
        // which is lazy here, so the files must outlive load().
        WeightReaders weights = WeightReaders.open(folder.unetWeights());
        try {
            SafetensorsParameters.verify(declaredParameters(config), weights.readers(), k -> false);
            return new UNet(config, new SafetensorsParameters(weights.readers(), trainable, k -> false), weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Loads a UNet component folder on its own (e.g. {@code tiny-sd/unet}); see {@link #load(ModelFolder)}. */
    public static UNet load(Path componentFolder) {
        return load(ModelFolder.component(Component.UNET, componentFolder));
    }

    /** {@link #load(ModelFolder, java.util.function.Predicate)} of a UNet component folder. */
    public static UNet load(Path componentFolder, java.util.function.Predicate<String> trainable) {
        return load(ModelFolder.component(Component.UNET, componentFolder), trainable);
    }

    /** Every parameter the network declares for a config, in construction order (no weights allocated). */
    public static List<dev.adi4j.diffusion.nn.ParamSpec> declaredParameters(UNetConfig config) {
        ShapeOnlyParameters shapes = new ShapeOnlyParameters();
        new UNet2DConditionModel(Scope.root(SameDiff.create(), shapes, ""), config);
        return shapes.declared();
    }

    public UNetConfig config() { return config; }

    /** How many layer-wise contexts {@link #forwardLayerWise} takes (16 for SD 2.1). */
    public int crossAttentionLayers() { return UNet2DConditionModel.crossAttentionLayers(config); }

    /** The cached graph for a spec, built on first use. */
    public NetGraph graph(UNetGraphSpec spec) {
        return graphs.computeIfAbsent(spec, this::build);
    }

    private NetGraph build(UNetGraphSpec s) {
        NetGraph g = NetGraph.create();
        Tensor sample = g.input("sample", s.trainableSample(), s.batch(), config.inChannels(), s.height(), s.width());
        Tensor timestep = g.input("timestep", false, s.batch());
        long dim = config.crossAttentionDim();
        Contexts contexts;
        if (s.layerWise()) {
            List<Tensor> per = new ArrayList<>();
            for (int k = 0; k < crossAttentionLayers(); k++) {
                per.add(g.input(contextName(k), s.trainableContext(), s.batch(), s.seqLen(), dim));
            }
            contexts = Contexts.layerWise(per);
        } else {
            contexts = Contexts.shared(g.input("encoder_hidden_states", s.trainableContext(), s.batch(), s.seqLen(), dim));
        }
        boolean forwardOnly = !s.withLoss() && !s.trainableSample() && !s.trainableContext();
        ParameterSource source = forwardOnly && hasTrainableWeights() ? new FrozenParameters(params) : params;
        Scope root = Scope.root(g.sameDiff(), source, "");
        Tensor out = new UNet2DConditionModel(root, config).forward(sample, timestep, contexts);
        source.finish();
        g.name(out, "output");
        if (s.withLoss()) {
            Tensor target = g.input("target", false, out.shape());
            g.name(root.ops().mseLoss(out, target), "loss");
        }
        return g;
    }

    /** Input name of the k-th layer-wise context. */
    public static String contextName(int k) {
        return "encoder_hidden_states." + k;
    }

    /** Noise prediction for sample [B,C,H,W], timesteps [B] and one context [B,L,D] shared by all layers. */
    public INDArray forward(INDArray sample, INDArray timesteps, INDArray context) {
        NetGraph g = graph(spec(sample, context, false, false, false, false));
        return g.run(Map.of("sample", sample, "timestep", timesteps, "encoder_hidden_states", context), "output")
                .get("output");
    }

    /** Noise prediction with one context per cross-attention layer, in forward execution order. */
    public INDArray forwardLayerWise(INDArray sample, INDArray timesteps, List<INDArray> contexts) {
        checkLayerCount(contexts);
        NetGraph g = graph(spec(sample, contexts.get(0), true, false, false, false));
        Map<String, INDArray> in = new HashMap<>(Map.of("sample", sample, "timestep", timesteps));
        for (int k = 0; k < contexts.size(); k++) in.put(contextName(k), contexts.get(k));
        return g.run(in, "output").get("output");
    }

    /**
     * The denoising loss mean((output - target)^2) and its gradients with respect to the contexts (one per
     * layer when {@code contexts} has more than one entry) and, if asked, the sample. Network weights stay frozen.
     */
    public LossGradients lossGradients(INDArray sample, INDArray timesteps, List<INDArray> contexts, INDArray target,
                                       boolean wrtSample) {
        boolean layerWise = contexts.size() > 1;
        if (layerWise) checkLayerCount(contexts);
        UNetGraphSpec spec = spec(sample, contexts.get(0), layerWise, wrtSample, true, true);
        long[] outShape = {sample.size(0), config.outChannels(), sample.size(2), sample.size(3)};
        if (!Arrays.equals(target.shape(), outShape)) {
            throw new IllegalArgumentException("target must have the output's shape " + Arrays.toString(outShape)
                    + ", got " + Arrays.toString(target.shape()));
        }
        if (checkpoints(spec)) return checkpointed.lossGradients(spec, sample, timesteps, contexts, target, wrtSample);
        NetGraph g = graph(spec);
        Map<String, INDArray> in = new LinkedHashMap<>(Map.of("sample", sample, "timestep", timesteps, "target", target));
        List<String> wrt = new ArrayList<>();
        if (layerWise) {
            for (int k = 0; k < contexts.size(); k++) {
                in.put(contextName(k), contexts.get(k));
                wrt.add(contextName(k));
            }
        } else {
            in.put("encoder_hidden_states", contexts.get(0));
            wrt.add("encoder_hidden_states");
        }
        if (wrtSample) wrt.add("sample");
        Map<String, INDArray> r = g.gradients(in, "loss", wrt.toArray(String[]::new), "output", "loss");
        List<INDArray> ctxGrads = new ArrayList<>();
        for (String w : wrt) if (!w.equals("sample")) ctxGrads.add(r.get("grad:" + w));
        return new LossGradients(r.get("output"), r.get("loss").getDouble(0), ctxGrads,
                wrtSample ? r.get("grad:sample") : null);
    }

    /** The trainable weights (see {@link #load(Path, java.util.function.Predicate)}), in declaration order. */
    public List<String> trainableParameters() {
        List<String> names = new ArrayList<>();
        for (dev.adi4j.diffusion.nn.ParamSpec p : specs().values()) if (params.isTrainable(p.name())) names.add(p.name());
        return names;
    }

    private Boolean trainableWeights;

    private boolean hasTrainableWeights() {
        if (trainableWeights == null) trainableWeights = !trainableParameters().isEmpty();
        return trainableWeights;
    }

    /** Name, reference shape and graph layout of a declared parameter. */
    public dev.adi4j.diffusion.nn.ParamSpec parameterSpec(String name) {
        dev.adi4j.diffusion.nn.ParamSpec p = specs().get(name);
        if (p == null) throw new IllegalArgumentException("the UNet has no parameter '" + name + "'");
        return p;
    }

    /**
     * The live array of a weight in graph layout ({@code parameterSpec(name).layout()}), shared by every graph of
     * this UNet: writing it in place (an optimizer step, applying fine-tuned weights) changes all later passes.
     */
    public INDArray parameter(String name) {
        return params.array(parameterSpec(name));
    }

    private Map<String, dev.adi4j.diffusion.nn.ParamSpec> specs;

    private Map<String, dev.adi4j.diffusion.nn.ParamSpec> specs() {
        if (specs == null) {
            specs = new LinkedHashMap<>();
            for (dev.adi4j.diffusion.nn.ParamSpec p : declaredParameters(config)) specs.put(p.name(), p);
        }
        return specs;
    }

    /**
     * The denoising loss mean((output - target)^2) of one shared context and, from the same forward and
     * backward pass, its gradients with respect to every trainable weight and to the context. Checkpointed
     * like {@link #lossGradients} unless {@link #gradientCheckpointing} is off.
     *
     * @throws IllegalStateException when the UNet has no trainable weights
     */
    public WeightGradients weightGradients(INDArray sample, INDArray timesteps, INDArray context, INDArray target) {
        List<String> weights = trainableParameters();
        if (weights.isEmpty()) {
            throw new IllegalStateException("this UNet has no trainable weights (load it with a trainable predicate)");
        }
        UNetGraphSpec spec = spec(sample, context, false, false, true, true);
        long[] outShape = {sample.size(0), config.outChannels(), sample.size(2), sample.size(3)};
        if (!Arrays.equals(target.shape(), outShape)) {
            throw new IllegalArgumentException("target must have the output's shape " + Arrays.toString(outShape)
                    + ", got " + Arrays.toString(target.shape()));
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        if (checkpoints(spec)) {
            LossGradients r = checkpointed.lossGradients(spec, sample, timesteps, List.of(context), target, false,
                    weights, grads);
            Map<String, INDArray> ordered = new LinkedHashMap<>();
            for (String w : weights) {
                INDArray g = grads.get(w);
                // a weight no stage uses has a zero gradient, as in PyTorch after zero_grad
                ordered.put(w, g != null ? g : org.nd4j.linalg.factory.Nd4j.zeros(parameter(w).dataType(), parameter(w).shape()));
            }
            return new WeightGradients(r.output(), r.loss(), ordered, r.contextGradients().get(0));
        }
        NetGraph g = graph(spec);
        Map<String, INDArray> in = Map.of("sample", sample, "timestep", timesteps, "target", target,
                "encoder_hidden_states", context);
        List<String> wrt = new ArrayList<>(weights);
        wrt.add("encoder_hidden_states");
        Map<String, INDArray> r = g.gradients(in, "loss", wrt.toArray(String[]::new), "output", "loss");
        for (String w : weights) grads.put(w, r.get("grad:" + w));
        return new WeightGradients(r.get("output"), r.get("loss").getDouble(0), grads,
                r.get("grad:encoder_hidden_states"));
    }

    /**
     * Output, loss, d loss / d each trainable weight (graph layout, same shape as {@link #parameter}) and
     * d loss / d the shared context.
     */
    public record WeightGradients(INDArray output, double loss, Map<String, INDArray> weightGradients,
                                  INDArray contextGradient) {
    }

    /** Output, loss value, d loss / d context(s) and d loss / d sample (null unless asked). */
    public record LossGradients(INDArray output, double loss, List<INDArray> contextGradients, INDArray sampleGradient) {
    }

    /**
     * Whether a gradient pass of this shape is checkpointed: as set by {@link #gradientCheckpointing}, else when
     * enabled and the first level's activations are large enough for memory to matter. On the tiny models the
     * whole-graph pass is ~25% faster and its memory is small.
     */
    private boolean checkpoints(UNetGraphSpec spec) {
        if (checkpointing != null) return checkpointing;
        EngineOptions o = EngineOptions.current();
        long elements = spec.batch() * spec.height() * spec.width() * config.blockOutChannels().get(0);
        return o.unetCheckpointing() && elements >= o.unetCheckpointMinElements();
    }

    private UNetGraphSpec spec(INDArray sample, INDArray context, boolean layerWise, boolean trainSample,
                               boolean trainContext, boolean loss) {
        if (sample.rank() != 4 || sample.size(1) != config.inChannels()) {
            throw new IllegalArgumentException("sample must be [B, " + config.inChannels() + ", H, W], got "
                    + Arrays.toString(sample.shape()));
        }
        if (context.rank() != 3 || context.size(2) != config.crossAttentionDim() || context.size(0) != sample.size(0)) {
            throw new IllegalArgumentException("context must be [" + sample.size(0) + ", L, " + config.crossAttentionDim()
                    + "], got " + Arrays.toString(context.shape()));
        }
        return new UNetGraphSpec(sample.size(0), sample.size(2), sample.size(3), context.size(1), layerWise,
                trainSample, trainContext, loss);
    }

    private void checkLayerCount(List<INDArray> contexts) {
        if (contexts.size() != crossAttentionLayers()) {
            throw new IllegalArgumentException("this UNet has " + crossAttentionLayers()
                    + " cross-attention layers, got " + contexts.size() + " layer-wise contexts");
        }
    }

    @Override
    public void close() throws Exception {
        graphs.clear();
        checkpointed.clear();
        if (resources != null) resources.close();
    }
}

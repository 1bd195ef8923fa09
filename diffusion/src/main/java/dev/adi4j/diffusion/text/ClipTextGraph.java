package dev.adi4j.diffusion.text;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.diffusion.nn.EngineOptions;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.ParameterSource;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text encoder built for one (batch, sequence) shape. Input {@code inputs_embeds} is trainable so that
 * SameDiff can differentiate against it; a placeholder {@code upstream} of the output's shape defines
 * loss = sum(last_hidden_state * upstream), whose gradient w.r.t. inputs_embeds is the vector-Jacobian
 * product with any upstream gradient (e.g. the UNet's dL/d encoder_hidden_states).
 */
final class ClipTextGraph {
    static final String INPUTS_EMBEDS = "inputs_embeds";
    static final String UPSTREAM = "upstream";
    static final String LOSS = "upstream_loss";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    private static final String[] WRT = {INPUTS_EMBEDS};
    /** Cache of the backward's arrays (-Dadi4j.text.gradientCacheMB, default 1024): enough to recycle a 4-row pass. */
    private static final long GRADIENT_CACHE_BYTES = EngineOptions.current().textGradientCacheMB() << 20;

    private final NetGraph net;
    private final ClipTextModel model;
    private final int layers;

    private ClipTextGraph(NetGraph net, ClipTextModel model, int layers) {
        this.net = net;
        this.model = model;
        this.layers = layers;
    }

    static String hiddenState(int i) { return "hidden_states." + i; }

    static ClipTextGraph build(ClipTextConfig cfg, ParameterSource params, long batch, long seq) {
        NetGraph net = NetGraph.create().gradientArrayCache(GRADIENT_CACHE_BYTES)
                .keepPlansUpTo(EngineOptions.current().textPlanMaxArenaMB());
        Scope root = Scope.root(net.sameDiff(), params, "");
        Ops ops = root.ops();
        ClipTextModel model = new ClipTextModel(root, cfg);
        long dim = cfg.hiddenSize();
        Tensor embeds = net.input(INPUTS_EMBEDS, true, batch, seq, dim);
        Tensor upstream = net.input(UPSTREAM, false, batch, seq, dim);
        ClipTextModel.Output out = model.forward(embeds);
        for (int i = 0; i < out.hiddenStates().size(); i++) net.name(out.hiddenStates().get(i), hiddenState(i));
        Tensor last = net.name(out.lastHiddenState(), LAST_HIDDEN_STATE);
        net.name(ops.sumAll(ops.mul(last, upstream)), LOSS);
        return new ClipTextGraph(net, model, cfg.numHiddenLayers());
    }

    ClipTextModel model() { return model; }

    NetGraph net() { return net; }

    /** last_hidden_state, plus hidden_states.0..N when asked. */
    Map<String, INDArray> forward(INDArray inputsEmbeds, boolean hiddenStates) {
        List<String> outs = new ArrayList<>();
        outs.add(LAST_HIDDEN_STATE);
        if (hiddenStates) for (int i = 0; i <= layers; i++) outs.add(hiddenState(i));
        return net.run(Map.of(INPUTS_EMBEDS, inputsEmbeds), outs.toArray(String[]::new));
    }

    /** last_hidden_state and d sum(last_hidden_state * upstream) / d inputs_embeds, from one pass. */
    ClipTextEncoder.Backward backward(INDArray inputsEmbeds, INDArray upstream) {
        Map<String, INDArray> r = net.gradients(Map.of(INPUTS_EMBEDS, inputsEmbeds, UPSTREAM, upstream), LOSS, WRT,
                LAST_HIDDEN_STATE);
        return new ClipTextEncoder.Backward(r.get(LAST_HIDDEN_STATE), r.get("grad:" + INPUTS_EMBEDS));
    }

    /** The forward pass of {@link #backward}, whose backward then runs for any number of upstream gradients. */
    NetGraph.GradientPasses startBackward(INDArray inputsEmbeds) {
        return net.startGradients(Map.of(INPUTS_EMBEDS, inputsEmbeds), LOSS, WRT, UPSTREAM, LAST_HIDDEN_STATE);
    }
}

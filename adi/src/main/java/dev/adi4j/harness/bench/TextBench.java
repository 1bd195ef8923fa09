package dev.adi4j.harness.bench;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.identifier.LayerWiseEncoder;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet2DConditionModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The text encoder's share of training, on a model folder's own text encoder (its real weights): the layer-wise
 * encode of one prompt — L rows of max_position_embeddings tokens, row k holding identifier v_k at the placeholder,
 * L = the UNet's cross-attention layers — and the gradient w.r.t. the L identifiers that
 * {@link LayerWiseEncoder#gradient} computes for each sample of a step (its own forward, then the backward of
 * sum(out * upstream), in row chunks).
 */
public final class TextBench {
    /** The workload names of one folder: forward and forward+backward of {@code layers} rows. */
    public static String forwardName(String label, int tokens, int layers) {
        return label + " text T" + tokens + " x" + layers + " forward";
    }

    public static String gradName(String label, int tokens, int layers) {
        return label + " text T" + tokens + " x" + layers + " fwd+bwd (embeds)";
    }

    private TextBench() {
    }

    /** The cross-attention layer count L of the folder's UNet config: the rows of a layer-wise encode. */
    public static int layers(ModelFolder folder) {
        return UNet2DConditionModel.crossAttentionLayers(folder.unet());
    }

    /** @param modes "fwd" and/or "grad" */
    public static List<Timing.Result> run(String label, ModelFolder folder, List<String> modes, Timing.Warmup warmup,
                                          int runs, Consumer<String> log) {
        int layers = layers(folder);
        ClipTextConfig cfg = folder.textEncoder();
        int tokens = cfg.maxPositionEmbeddings();
        List<Timing.Result> results = new ArrayList<>();
        log.accept("loading the text encoder of " + folder.root() + " ...");
        try (ClipTextEncoder text = ClipTextEncoder.load(folder)) {
            LayerWiseEncoder encoder = new LayerWiseEncoder(text, layers);
            int[] ids = AdiStepBench.prompt(cfg);
            int placeholder = AdiStepBench.PLACEHOLDER;
            INDArray v = Nd4j.randn(DataType.FLOAT, layers, cfg.hiddenSize()).muli(0.02);
            INDArray upstream = Nd4j.randn(DataType.FLOAT, layers, tokens, cfg.hiddenSize());
            if (modes.contains("fwd")) {
                log.accept(label + " text encoder forward, " + layers + " rows ...");
                results.add(Timing.measure(forwardName(label, tokens, layers), warmup, runs,
                        () -> encoder.encode(ids, Map.of(placeholder, v))));
                log.accept(results.get(results.size() - 1).row());
            }
            if (modes.contains("grad")) {
                log.accept(label + " text encoder forward+backward, " + layers + " rows ...");
                results.add(Timing.measure(gradName(label, tokens, layers), warmup, runs,
                        () -> encoder.gradient(ids, placeholder, v, upstream)));
                log.accept(results.get(results.size() - 1).row());
            }
        }
        return results;
    }
}

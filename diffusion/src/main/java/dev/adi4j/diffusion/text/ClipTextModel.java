package dev.adi4j.diffusion.text;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.diffusion.nn.LayerNorm;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * transformers {@code CLIPTextModel} (SD 2.1's OpenCLIP ViT-H/14 text tower in transformers layout), built
 * from {@code inputs_embeds}: weight keys {@code text_model.embeddings.*}, {@code text_model.encoder.layers.N.*},
 * {@code text_model.final_layer_norm.*}. All parameters are declared when the model is constructed.
 */
public final class ClipTextModel {
    public static final String PREFIX = "text_model";
    public static final String TOKEN_EMBEDDING = PREFIX + ".embeddings.token_embedding.weight";
    /** A persistent int64 buffer (arange) in files saved by transformers < 4.31; not a parameter. */
    public static final String POSITION_IDS = PREFIX + ".embeddings.position_ids";

    /** Masked scores get this instead of -inf: exp underflows to exactly 0 all the same, and no inf-inf NaN. */
    private static final float MASKED = -1e9f;

    private final Scope scope;
    private final ClipTextEmbeddings embeddings;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalLayerNorm;

    /** The hidden states (0 = embeddings, i = after layer i) and the final LayerNorm's output. */
    public record Output(List<Tensor> hiddenStates, Tensor lastHiddenState) {
    }

    /** @param root the network's root scope (empty prefix); parameters go under {@code text_model.} */
    public ClipTextModel(Scope root, ClipTextConfig cfg) {
        this.scope = root.child(PREFIX);
        long dim = cfg.hiddenSize();
        this.embeddings = new ClipTextEmbeddings(scope.child("embeddings"), cfg.vocabSize(), cfg.maxPositionEmbeddings(), dim);
        for (int i = 0; i < cfg.numHiddenLayers(); i++) {
            layers.add(new ClipEncoderLayer(scope.child("encoder").child("layers", i), cfg));
        }
        this.finalLayerNorm = new LayerNorm(scope.child("final_layer_norm"), dim, cfg.layerNormEps());
    }

    /** The token table [vocab, D] variable, for the eager lookup outside the graph. */
    public SDVariable tokenEmbedding() { return embeddings.tokenEmbedding(); }

    /** Forward pass from inputs_embeds [B, L, D] with the causal mask (SD passes no padding mask). */
    public Output forward(Tensor inputsEmbeds) {
        SDVariable mask = scope.ops().constant(causalMask(inputsEmbeds.dim(1)));
        List<Tensor> hidden = new ArrayList<>();
        Tensor x = embeddings.forward(inputsEmbeds);
        hidden.add(x);
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(x, mask);
            hidden.add(x);
        }
        return new Output(hidden, finalLayerNorm.forward(x));
    }

    /** [1, 1, L, L] additive mask: 0 where key position <= query position, {@link #MASKED} above the diagonal. */
    static INDArray causalMask(long len) {
        INDArray m = Nd4j.zeros(DataType.FLOAT, 1, 1, len, len);
        for (long i = 0; i < len; i++) {
            for (long j = i + 1; j < len; j++) m.putScalar(new long[]{0, 0, i, j}, MASKED);
        }
        return m;
    }
}

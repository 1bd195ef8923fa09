package dev.adi4j.diffusion.text;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.nn.EngineOptions;
import dev.adi4j.diffusion.nn.AbstractParameterSource;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import dev.adi4j.diffusion.nn.WeightReaders;
import dev.adi4j.diffusion.nn.WeightsException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SD 2.1 text encoder (transformers {@code CLIPTextModel}) with frozen weights. Token ids are embedded
 * eagerly ({@link #embed}), so that identifier vectors can replace the embedding of placeholder tokens and
 * gradients w.r.t. them come from dL/d inputs_embeds. One graph is built per (batch, length) shape and
 * reused; all graphs share the weights loaded once.
 */
public final class ClipTextEncoder implements AutoCloseable {
    public static final String CONFIG_FILE = Component.TEXT_ENCODER.configFile();
    public static final String WEIGHTS_FILE = Component.TEXT_ENCODER.weightsFile();

    private final ClipTextConfig config;
    private final LoadedParameters weights;
    private final INDArray tokenTable;
    private final Map<List<Long>, ClipTextGraph> graphs = new HashMap<>();
    /** The weight files, held until close(); null for weights that came from elsewhere. */
    private final WeightReaders files;

    /** last_hidden_state [B, L, D] and d sum(last_hidden_state * upstream) / d inputs_embeds [B, L, D]. */
    public record Backward(INDArray lastHiddenState, INDArray gradInputsEmbeds) {
    }

    /** last_hidden_state [B, L, D] and the gradient w.r.t. each row's identifier vector [B, D]. */
    public record IdentifierGradient(INDArray lastHiddenState, INDArray gradV) {
    }

    private ClipTextEncoder(ClipTextConfig config, LoadedParameters weights, INDArray tokenTable, ClipTextGraph first,
                            WeightReaders files) {
        this.config = config;
        this.files = files;
        this.weights = weights;
        this.tokenTable = tokenTable;
        graphs.put(List.of(1L, (long) config.maxPositionEmbeddings()), first);
    }

    /**
     * Loads the text encoder of a model folder (config and weights as {@link ModelFolder} resolves them: fp32
     * or fp16 variant, one file or shards).
     *
     * @throws dev.adi4j.core.io.ModelLoadException naming the folder or file: folder, config or weights
     *         missing ({@link dev.adi4j.core.model.ModelFolderException}), unreadable or unsupported config
     *         ({@link ConfigException}), or keys missing / unexpected / wrongly shaped
     *         ({@link WeightsException}, all listed)
     */
    public static ClipTextEncoder load(ModelFolder folder) {
        ClipTextConfig cfg = folder.textEncoder();
        if (!ClipMlp.ACTIVATIONS.contains(cfg.hiddenAct())) {
            throw new ConfigException(folder.configFile(Component.TEXT_ENCODER), "hidden_act", "\"" + cfg.hiddenAct()
                    + "\" is not supported, expected one of " + ClipMlp.ACTIVATIONS);
        }
        // The weights are copied into the graph while loading, so the files are not read again; they are still
        // held until close() so that every network owns its files the same way (the UNet must: it reads lazily).
        WeightReaders weights = WeightReaders.open(folder.textEncoderWeights());
        try {
            SafetensorsParameters params = new SafetensorsParameters(weights.readers(), false,
                    ClipTextModel.POSITION_IDS::equals);
            return build(cfg, params, weights.source().toString(), weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Loads a text_encoder component folder on its own; see {@link #load(ModelFolder)}. */
    public static ClipTextEncoder load(Path componentFolder) {
        return load(ModelFolder.component(Component.TEXT_ENCODER, componentFolder));
    }

    /**
     * An encoder whose weights come from {@code params} (frozen: constants), e.g. random weights for a
     * benchmark. The parameters are read once, while the first graph is built, and then shared by all graphs.
     */
    public static ClipTextEncoder build(ClipTextConfig cfg, AbstractParameterSource params, String source) {
        return build(cfg, params, source, null);
    }

    private static ClipTextEncoder build(ClipTextConfig cfg, AbstractParameterSource params, String source,
                                         WeightReaders files) {
        ClipTextGraph first = ClipTextGraph.build(cfg, params, 1, cfg.maxPositionEmbeddings());
        params.finish();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (ParamSpec spec : params.declared()) {
            INDArray a = first.net().sameDiff().getVariable(spec.name()).getArr();
            if (a == null) throw new WeightsException(source, List.of("no value: " + spec.name()));
            arrays.put(spec.name(), a);
        }
        INDArray table = arrays.get(ClipTextModel.TOKEN_EMBEDDING);
        return new ClipTextEncoder(cfg, new LoadedParameters(source, arrays), table, first, files);
    }

    /** Every parameter the network declares for a config, in construction order (no weights allocated). */
    public static List<ParamSpec> declaredParameters(ClipTextConfig cfg) {
        dev.adi4j.diffusion.nn.ShapeOnlyParameters shapes = new dev.adi4j.diffusion.nn.ShapeOnlyParameters();
        ClipTextGraph.build(cfg, shapes, 1, cfg.maxPositionEmbeddings());
        return shapes.declared();
    }

    public ClipTextConfig config() { return config; }

    /**
     * The live token-embedding table [vocab, D] that {@link #embed} reads: writing it in place (an optimizer
     * step training the embeddings, with gradients from {@link #backward}) changes every later encoding.
     */
    public INDArray tokenEmbeddingTable() { return tokenTable; }

    /**
     * Token embeddings [B, L, D] of {@code ids} (equal-length rows, L at most max_position_embeddings).
     * {@code overrides} maps a token id to its vector: either [D] (every row) or [B, D] (one per row, e.g.
     * layer-wise identifiers). Override ids may lie beyond the vocabulary (added placeholder tokens).
     */
    public INDArray embed(int[][] ids, Map<Integer, INDArray> overrides) {
        int b = ids.length;
        int len = checkIds(ids, overrides.keySet());
        long dim = config.hiddenSize();
        int[] flat = new int[b * len];
        for (int r = 0; r < b; r++) {
            for (int p = 0; p < len; p++) {
                int id = ids[r][p];
                flat[r * len + p] = overrides.containsKey(id) ? 0 : id;
            }
        }
        INDArray out = Nd4j.pullRows(tokenTable, 1, flat).reshape('c', b, len, dim);
        for (int r = 0; r < b; r++) {
            for (int p = 0; p < len; p++) {
                INDArray v = overrides.get(ids[r][p]);
                if (v != null) {
                    out.get(NDArrayIndex.point(r), NDArrayIndex.point(p), NDArrayIndex.all()).assign(overrideRow(v, r, b));
                }
            }
        }
        return out;
    }

    private INDArray overrideRow(INDArray v, int row, int batch) {
        long dim = config.hiddenSize();
        if (v.rank() == 1 && v.length() == dim) return v;
        if (v.rank() == 2 && v.size(0) == batch && v.size(1) == dim) return v.getRow(row);
        throw new TextEncoderException("an identifier vector must have shape [" + dim + "] or [" + batch + ", " + dim
                + "], got " + Arrays.toString(v.shape()));
    }

    private int checkIds(int[][] ids, java.util.Set<Integer> overrideIds) {
        if (ids.length == 0) throw new TextEncoderException("no token ids given");
        int len = ids[0].length;
        if (len == 0 || len > config.maxPositionEmbeddings()) {
            throw new TextEncoderException("token sequences must have 1.." + config.maxPositionEmbeddings()
                    + " ids, got " + len);
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != len) {
                throw new TextEncoderException("token row " + r + " has " + ids[r].length + " ids, row 0 has " + len);
            }
            for (int p = 0; p < len; p++) {
                int id = ids[r][p];
                if ((id < 0 || id >= tokenTable.size(0)) && !overrideIds.contains(id)) {
                    throw new TextEncoderException("token id " + id + " at row " + r + ", position " + p
                            + " is outside the vocabulary (0.." + (tokenTable.size(0) - 1)
                            + ") and has no identifier vector");
                }
            }
        }
        return len;
    }

    /** last_hidden_state [B, L, D] of the given embeddings. */
    public INDArray forward(INDArray inputsEmbeds) {
        return graph(inputsEmbeds).forward(inputsEmbeds, false).get(ClipTextGraph.LAST_HIDDEN_STATE);
    }

    /** hidden_states.0..N (0 = embeddings, i = after layer i) followed by last_hidden_state. */
    public List<INDArray> hiddenStates(INDArray inputsEmbeds) {
        Map<String, INDArray> r = graph(inputsEmbeds).forward(inputsEmbeds, true);
        List<INDArray> all = new ArrayList<>();
        for (int i = 0; i <= config.numHiddenLayers(); i++) all.add(r.get(ClipTextGraph.hiddenState(i)));
        all.add(r.get(ClipTextGraph.LAST_HIDDEN_STATE));
        return all;
    }

    /** last_hidden_state [B, L, D] of plain token ids. */
    public INDArray encode(int[][] ids) {
        return forward(embed(ids, Map.of()));
    }

    /** last_hidden_state with {@code placeholderId} replaced by vPerRow's row b in batch row b ([B, D] or [D]). */
    public INDArray encodeWithOverrides(int[][] ids, int placeholderId, INDArray vPerRow) {
        return forward(embed(ids, Map.of(placeholderId, vPerRow)));
    }

    /** Vector-Jacobian product: last_hidden_state and dL/d inputs_embeds for dL/d last_hidden_state = upstream. */
    public Backward backward(INDArray inputsEmbeds, INDArray upstream) {
        checkUpstream(upstream, inputsEmbeds.shape());
        return graph(inputsEmbeds).backward(inputsEmbeds, upstream);
    }

    /**
     * Encodes with {@code placeholderId} := vPerRow (row b for batch row b) and back-propagates {@code upstream}
     * (dL/d last_hidden_state [B, L, D]). gradV[b] sums dL/d inputs_embeds over row b's placeholder positions;
     * for one vector shared by all rows, sum gradV over rows.
     */
    public IdentifierGradient gradientWrtIdentifier(int[][] ids, int placeholderId, INDArray vPerRow, INDArray upstream) {
        return gradientsWrtIdentifier(ids, placeholderId, vPerRow, List.of(upstream)).get(0);
    }

    /**
     * {@link #gradientWrtIdentifier} for several upstream gradients (ADI's three samples of one step): one result per
     * upstream, in order. Each row chunk's forward pass runs once for all of them (SameDiff's gradient function
     * would recompute it per upstream); each result equals a call of {@link #gradientWrtIdentifier} with that
     * upstream.
     */
    public List<IdentifierGradient> gradientsWrtIdentifier(int[][] ids, int placeholderId, INDArray vPerRow,
                                                           List<INDArray> upstreams) {
        return gradientsWrtIdentifier(ids, placeholderId, vPerRow, upstreams, backwardRows(ids[0].length));
    }

    /**
     * Encodes with {@code placeholderId} := vPerRow (row b for batch row b, all rows in one pass) for gradients to
     * come: {@link IdentifierGradients#gradV} back-propagates any number of upstream gradients without encoding
     * again (the ADI step's three samples). Close it when done.
     */
    public IdentifierGradients startIdentifierGradients(int[][] ids, int placeholderId, INDArray vPerRow) {
        INDArray embeds = embed(ids, Map.of(placeholderId, vPerRow));
        return new IdentifierGradients(ids, placeholderId, embeds.shape(), graph(embeds).startBackward(embeds));
    }

    /** An encoding whose identifier gradient can be taken for several upstream gradients; see startIdentifierGradients. */
    public static final class IdentifierGradients implements AutoCloseable {
        private final int[][] ids;
        private final int placeholderId;
        private final long[] outputShape;
        private final NetGraph.GradientPasses passes;

        private IdentifierGradients(int[][] ids, int placeholderId, long[] outputShape, NetGraph.GradientPasses passes) {
            this.ids = ids;
            this.placeholderId = placeholderId;
            this.outputShape = outputShape;
            this.passes = passes;
        }

        /** last_hidden_state [B, L, D] of the encoding. */
        public INDArray lastHiddenState() {
            return passes.outputs().get(ClipTextGraph.LAST_HIDDEN_STATE);
        }

        /** dL/dv [B, D] for dL/d last_hidden_state = upstream [B, L, D]. */
        public INDArray gradV(INDArray upstream) {
            checkUpstream(upstream, outputShape);
            INDArray g = passes.gradients(upstream).get("grad:" + ClipTextGraph.INPUTS_EMBEDS);
            return sumAtToken(ids, placeholderId, g);
        }

        @Override
        public void close() {
            passes.close();
        }
    }

    /** With {@code chunk} rows per backward pass. */
    List<IdentifierGradient> gradientsWrtIdentifier(int[][] ids, int placeholderId, INDArray vPerRow,
                                                    List<INDArray> upstreams, int chunk) {
        long[] outputShape = {ids.length, ids[0].length, config.hiddenSize()};
        for (INDArray u : upstreams) checkUpstream(u, outputShape);
        int rows = ids.length;
        // Rows are independent, so the backward runs over row chunks: the same result with a fraction of the
        // activations alive (16 layer-wise rows of SD 2.1 at once did not fit beside the UNet in an ADI step).
        List<List<INDArray>> last = new ArrayList<>();
        List<List<INDArray>> grads = new ArrayList<>();
        for (int u = 0; u < upstreams.size(); u++) {
            last.add(new ArrayList<>());
            grads.add(new ArrayList<>());
        }
        for (int start = 0; start < rows; start += chunk) {
            int end = Math.min(rows, start + chunk);
            int[][] part = Arrays.copyOfRange(ids, start, end);
            INDArray v = vPerRow.rank() == 2 && rows > chunk
                    ? vPerRow.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()) : vPerRow;
            List<INDArray> ups = new ArrayList<>();
            for (INDArray u : upstreams) {
                ups.add(rows > chunk ? u.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all()) : u);
            }
            try (IdentifierGradients passes = startIdentifierGradients(part, placeholderId, v)) {
                for (int u = 0; u < ups.size(); u++) {
                    last.get(u).add(passes.lastHiddenState());
                    grads.get(u).add(passes.gradV(ups.get(u)));
                }
            }
        }
        List<IdentifierGradient> out = new ArrayList<>(upstreams.size());
        for (int u = 0; u < upstreams.size(); u++) {
            out.add(new IdentifierGradient(concat(last.get(u)), concat(grads.get(u))));
        }
        return out;
    }

    private static void checkUpstream(INDArray upstream, long[] outputShape) {
        if (!Arrays.equals(upstream.shape(), outputShape)) {
            throw new TextEncoderException("upstream gradient has shape " + Arrays.toString(upstream.shape())
                    + ", expected the output shape " + Arrays.toString(outputShape));
        }
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * Rows per text-encoder backward pass: {@code -Dadi4j.text.backwardRows} when set, else as many rows as hold the
     * activations of 4 SD 2.1 rows (4 x 77 x 1024 elements per hidden state) — 4 for SD 2.1, every row of the tiny and
     * mini encoders, whose passes are then one instead of four (on small models each pass costs its per-op overhead).
     */
    private int backwardRows(int seqLen) {
        int set = EngineOptions.current().textBackwardRows();
        if (set > 0) return set;
        long perRow = (long) seqLen * config.hiddenSize();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, SD21_CHUNK_ELEMENTS / perRow));
    }

    private static final long SD21_CHUNK_ELEMENTS = 4L * 77 * 1024;

    /** [B, D]: per batch row, the sum of {@code grad} [B, L, D] over the positions holding {@code tokenId}. */
    public static INDArray sumAtToken(int[][] ids, int tokenId, INDArray grad) {
        INDArray out = Nd4j.zeros(grad.dataType(), grad.size(0), grad.size(2));
        for (int r = 0; r < ids.length; r++) {
            for (int p = 0; p < ids[r].length; p++) {
                if (ids[r][p] == tokenId) {
                    out.getRow(r).addi(grad.get(NDArrayIndex.point(r), NDArrayIndex.point(p), NDArrayIndex.all()));
                }
            }
        }
        return out;
    }

    private ClipTextGraph graph(INDArray inputsEmbeds) {
        long dim = config.hiddenSize();
        if (inputsEmbeds.rank() != 3 || inputsEmbeds.size(2) != dim
                || inputsEmbeds.size(1) > config.maxPositionEmbeddings()) {
            throw new TextEncoderException("inputs_embeds must have shape [B, L<=" + config.maxPositionEmbeddings()
                    + ", " + dim + "], got " + Arrays.toString(inputsEmbeds.shape()));
        }
        List<Long> key = List.of(inputsEmbeds.size(0), inputsEmbeds.size(1));
        return graphs.computeIfAbsent(key, k -> {
            ClipTextGraph g = ClipTextGraph.build(config, weights, k.get(0), k.get(1));
            weights.finish();
            return g;
        });
    }

    /** Drops the cached graphs and closes the weight files. */
    @Override
    public void close() {
        graphs.clear();
        if (files != null) files.close();
    }
}

package dev.adi4j.diffusion.identifier;

import dev.adi4j.diffusion.text.ClipTextEncoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a prompt holding identifier tokens is encoded, for generation and for training alike: a single
 * text-encoder pass over a batch of L rows (one per cross-attention layer), row k being the prompt with each
 * identifier's layer-k vector at its token. A single-vector identifier ([1, D], Textual Inversion) is the same in
 * every row. The gradient goes back through the same rows, so what the objective differentiates is exactly what
 * generation later sees.
 */
public final class LayerWiseEncoder {
    private final ClipTextEncoder text;
    private final int layers;

    /** @param layers the UNet's cross-attention layers (16 for SD 2.1) */
    public LayerWiseEncoder(ClipTextEncoder text, int layers) {
        if (layers < 1) throw new IllegalArgumentException("layers must be >= 1, got " + layers);
        this.text = text;
        this.layers = layers;
    }

    public int layers() { return layers; }

    /**
     * Contexts [L, seq, D] of one tokenized prompt.
     *
     * @param identifiers token id -> vectors [1, D] or [L, D]
     */
    public INDArray encode(int[] ids, Map<Integer, INDArray> identifiers) {
        Map<Integer, INDArray> perRow = new HashMap<>();
        identifiers.forEach((id, v) -> perRow.put(id, rows(id, v)));
        return text.forward(text.embed(batch(ids), perRow));
    }

    /**
     * dL/dv [L, D] of the identifier at {@code tokenId} (vectors {@code v} [L, D]), given upstream = dL/d contexts
     * [L, seq, D]; a token that occurs twice in the prompt gets the sum of both positions' gradients.
     */
    public INDArray gradient(int[] ids, int tokenId, INDArray v, INDArray upstream) {
        requireToken(ids, tokenId);
        return text.gradientWrtIdentifier(batch(ids), tokenId, rows(tokenId, v), upstream).gradV();
    }

    /**
     * {@link #encode} of a prompt holding one identifier, kept for gradients to come: its contexts are
     * {@code lastHiddenState()}, and {@code gradV(upstream)} gives dL/dv [L, D] for dL/d contexts = upstream
     * [L, seq, D] — for each training sample, without encoding again. Close it when done.
     */
    public ClipTextEncoder.IdentifierGradients encodeForGradients(int[] ids, int tokenId, INDArray v) {
        requireToken(ids, tokenId);
        return text.startIdentifierGradients(batch(ids), tokenId, rows(tokenId, v));
    }

    private static void requireToken(int[] ids, int tokenId) {
        if (Arrays.stream(ids).noneMatch(id -> id == tokenId)) {
            throw new IllegalArgumentException("the prompt does not contain the identifier token id " + tokenId);
        }
    }

    /** The contexts of {@link #encode} as one [1, seq, D] array per layer, in forward execution order. */
    public static List<INDArray> perLayer(INDArray contexts) {
        List<INDArray> out = new ArrayList<>((int) contexts.size(0));
        for (int k = 0; k < contexts.size(0); k++) {
            out.add(contexts.get(NDArrayIndex.interval(k, k + 1), NDArrayIndex.all(), NDArrayIndex.all()).dup());
        }
        return out;
    }

    private int[][] batch(int[] ids) {
        int[][] batch = new int[layers][];
        Arrays.fill(batch, ids);
        return batch;
    }

    /** [L, D] for the batch rows: a single vector is repeated, L vectors are taken as they are. */
    private INDArray rows(int id, INDArray v) {
        if (v.rank() != 2 || (v.size(0) != 1 && v.size(0) != layers)) {
            throw new IllegalArgumentException("identifier for token id " + id + " must be [1, D] or [" + layers
                    + ", D] (this UNet has " + layers + " cross-attention layers), got " + Arrays.toString(v.shape()));
        }
        return v.size(0) == layers ? v : v.repeat(0, layers);
    }
}

package dev.adi4j.diffusion.text;

import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.ParamLayout;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * transformers {@code CLIPTextEmbeddings}. Only the position part is in the graph: the token lookup is done
 * eagerly outside it (SameDiff's gather has no working backward, see docs/engine.md), so the graph input is
 * {@code inputs_embeds}. The token table is still declared here so that the declared parameter list
 * matches the weights file, and the encoder reads it from this graph for the eager lookup.
 */
final class ClipTextEmbeddings {
    private final Ops ops;
    private final SDVariable tokenEmbedding;
    private final SDVariable positionEmbedding;
    private final long maxPositions;
    private final long dim;

    ClipTextEmbeddings(Scope scope, long vocab, long maxPositions, long dim) {
        this.ops = scope.ops();
        this.maxPositions = maxPositions;
        this.dim = dim;
        this.tokenEmbedding = scope.child("token_embedding").param("weight", ParamLayout.AS_IS, vocab, dim);
        this.positionEmbedding = scope.child("position_embedding").param("weight", ParamLayout.AS_IS, maxPositions, dim);
    }

    /** The token table [vocab, D] as a graph variable (its array is the loaded weight). */
    SDVariable tokenEmbedding() { return tokenEmbedding; }

    /** inputs_embeds [B, L, D] + position_embedding[0..L-1]. */
    Tensor forward(Tensor inputsEmbeds) {
        long len = inputsEmbeds.dim(1);
        if (len > maxPositions) {
            throw new IllegalArgumentException("sequence length " + len + " exceeds max_position_embeddings " + maxPositions);
        }
        Tensor pos = ops.narrow(new Tensor(positionEmbedding, maxPositions, dim), 0, 0, len);
        return ops.addBroadcast(inputsEmbeds, ops.reshape(pos, 1, len, dim).var());
    }
}

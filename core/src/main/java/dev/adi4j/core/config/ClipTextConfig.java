package dev.adi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** transformers {@code CLIPTextModel} config (text_encoder/config.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClipTextConfig(
        Integer vocabSize,
        Integer hiddenSize,
        Integer intermediateSize,
        Integer numHiddenLayers,
        Integer numAttentionHeads,
        Integer maxPositionEmbeddings,
        String hiddenAct,
        Double layerNormEps,
        Integer projectionDim,
        Integer bosTokenId,
        Integer eosTokenId,
        Integer padTokenId) {

    public ClipTextConfig {
        vocabSize = def(vocabSize, 49408);
        hiddenSize = Configs.requirePositive(hiddenSize, "hidden_size");
        intermediateSize = Configs.requirePositive(intermediateSize, "intermediate_size");
        numHiddenLayers = Configs.requirePositive(numHiddenLayers, "num_hidden_layers");
        numAttentionHeads = Configs.requirePositive(numAttentionHeads, "num_attention_heads");
        maxPositionEmbeddings = def(maxPositionEmbeddings, 77);
        hiddenAct = def(hiddenAct, "quick_gelu");
        layerNormEps = def(layerNormEps, 1e-5);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new Configs.FieldException("num_attention_heads", "hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
    }

    private static <T> T def(T v, T d) { return v != null ? v : d; }
}

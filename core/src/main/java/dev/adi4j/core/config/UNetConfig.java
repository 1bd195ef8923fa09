package dev.adi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * diffusers {@code UNet2DConditionModel} config (unet/config.json). Fields absent from the file take
 * diffusers' defaults; values adi4j does not implement are refused when the network is built.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UNetConfig(
        Integer inChannels,
        Integer outChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        String midBlockType,
        List<Integer> blockOutChannels,
        Integer layersPerBlock,
        List<Integer> attentionHeadDim,
        List<Integer> numAttentionHeads,
        Integer crossAttentionDim,
        Integer normNumGroups,
        Double normEps,
        Boolean flipSinToCos,
        Integer freqShift,
        Boolean useLinearProjection,
        Boolean upcastAttention,
        List<Integer> transformerLayersPerBlock,
        Integer downsamplePadding,
        Double midBlockScaleFactor,
        String actFn,
        Integer sampleSize,
        Boolean onlyCrossAttention,
        Boolean dualCrossAttention,
        Boolean centerInputSample,
        String resnetTimeScaleShift,
        Integer convInKernel,
        Integer convOutKernel,
        String timeEmbeddingType,
        Integer timeEmbeddingDim,
        String additionEmbedType,
        String classEmbedType,
        Integer numClassEmbeds,
        Integer timeCondProjDim,
        Integer encoderHidDim,
        String encoderHidDimType,
        String crossAttentionNorm,
        String attentionType,
        Boolean resnetSkipTimeAct,
        Double resnetOutScaleFactor,
        Boolean classEmbeddingsConcat,
        Boolean midBlockOnlyCrossAttention,
        String timeEmbeddingActFn,
        String timestepPostAct,
        Double dropout) {

    public UNetConfig {
        inChannels = def(inChannels, 4);
        outChannels = def(outChannels, 4);
        downBlockTypes = Configs.require(downBlockTypes, "down_block_types");
        upBlockTypes = Configs.require(upBlockTypes, "up_block_types");
        midBlockType = def(midBlockType, "UNetMidBlock2DCrossAttn");
        blockOutChannels = Configs.requirePositive(blockOutChannels, "block_out_channels");
        layersPerBlock = def(layersPerBlock, 2);
        attentionHeadDim = def(attentionHeadDim, List.of(8));
        crossAttentionDim = Configs.require(crossAttentionDim, "cross_attention_dim");
        normNumGroups = def(normNumGroups, 32);
        normEps = def(normEps, 1e-5);
        flipSinToCos = def(flipSinToCos, true);
        freqShift = def(freqShift, 0);
        useLinearProjection = def(useLinearProjection, false);
        upcastAttention = def(upcastAttention, false);
        transformerLayersPerBlock = def(transformerLayersPerBlock, List.of(1));
        downsamplePadding = def(downsamplePadding, 1);
        midBlockScaleFactor = def(midBlockScaleFactor, 1.0);
        actFn = def(actFn, "silu");
        sampleSize = def(sampleSize, 64);
        onlyCrossAttention = def(onlyCrossAttention, false);
        dualCrossAttention = def(dualCrossAttention, false);
        centerInputSample = def(centerInputSample, false);
        resnetTimeScaleShift = def(resnetTimeScaleShift, "default");
        convInKernel = def(convInKernel, 3);
        convOutKernel = def(convOutKernel, 3);
        timeEmbeddingType = def(timeEmbeddingType, "positional");
        attentionType = def(attentionType, "default");
        resnetSkipTimeAct = def(resnetSkipTimeAct, false);
        resnetOutScaleFactor = def(resnetOutScaleFactor, 1.0);
        classEmbeddingsConcat = def(classEmbeddingsConcat, false);
        dropout = def(dropout, 0.0);
        Configs.sameLength(downBlockTypes, "down_block_types", blockOutChannels, "block_out_channels");
        Configs.sameLength(upBlockTypes, "up_block_types", blockOutChannels, "block_out_channels");
        // Checked here so a bad per-level list is reported with the file it came from.
        perLevel(numAttentionHeads != null ? numAttentionHeads : attentionHeadDim, blockOutChannels.size(),
                numAttentionHeads != null ? "num_attention_heads" : "attention_head_dim");
        perLevel(transformerLayersPerBlock, blockOutChannels.size(), "transformer_layers_per_block");
    }

    /**
     * Heads per level. diffusers' long-standing naming quirk: for SD 2.x {@code attention_head_dim} holds
     * the number of heads, and {@code num_attention_heads} (when set) takes precedence.
     */
    public List<Integer> headsPerLevel() {
        return numAttentionHeads != null
                ? perLevel(numAttentionHeads, blockOutChannels.size(), "num_attention_heads")
                : perLevel(attentionHeadDim, blockOutChannels.size(), "attention_head_dim");
    }

    /** Transformer layers per level (transformer_layers_per_block broadcast to every level). */
    public List<Integer> transformerLayersPerLevel() {
        return perLevel(transformerLayersPerBlock, blockOutChannels.size(), "transformer_layers_per_block");
    }

    /** Time-embedding width: 4x the first block's channels unless set. */
    public int timeEmbedDim() {
        return timeEmbeddingDim != null ? timeEmbeddingDim : blockOutChannels.get(0) * 4;
    }

    private static List<Integer> perLevel(List<Integer> src, int n, String field) {
        Configs.requirePositive(src, field);
        if (src.size() == 1) return Collections.nCopies(n, src.get(0));
        if (src.size() != n) {
            throw new Configs.FieldException(field, "has " + src.size() + " entries for " + n + " levels");
        }
        return new ArrayList<>(src);
    }

    private static <T> T def(T v, T d) { return v != null ? v : d; }
}

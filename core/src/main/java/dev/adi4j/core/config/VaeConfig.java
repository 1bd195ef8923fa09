package dev.adi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** diffusers {@code AutoencoderKL} config (vae/config.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VaeConfig(
        Integer inChannels,
        Integer outChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        List<Integer> blockOutChannels,
        Integer layersPerBlock,
        Integer latentChannels,
        Integer normNumGroups,
        String actFn,
        Integer sampleSize,
        Double scalingFactor,
        Double shiftFactor,
        Boolean forceUpcast,
        Boolean useQuantConv,
        Boolean usePostQuantConv,
        Boolean midBlockAddAttention) {

    public VaeConfig {
        inChannels = def(inChannels, 3);
        outChannels = def(outChannels, 3);
        blockOutChannels = Configs.requirePositive(blockOutChannels, "block_out_channels");
        downBlockTypes = def(downBlockTypes, java.util.Collections.nCopies(blockOutChannels.size(), "DownEncoderBlock2D"));
        upBlockTypes = def(upBlockTypes, java.util.Collections.nCopies(blockOutChannels.size(), "UpDecoderBlock2D"));
        layersPerBlock = def(layersPerBlock, 1);
        latentChannels = def(latentChannels, 4);
        normNumGroups = def(normNumGroups, 32);
        actFn = def(actFn, "silu");
        sampleSize = def(sampleSize, 32);
        scalingFactor = def(scalingFactor, 0.18215);
        forceUpcast = def(forceUpcast, true);
        useQuantConv = def(useQuantConv, true);
        usePostQuantConv = def(usePostQuantConv, true);
        midBlockAddAttention = def(midBlockAddAttention, true);
        Configs.sameLength(downBlockTypes, "down_block_types", blockOutChannels, "block_out_channels");
        Configs.sameLength(upBlockTypes, "up_block_types", blockOutChannels, "block_out_channels");
    }

    private static <T> T def(T v, T d) { return v != null ? v : d; }
}

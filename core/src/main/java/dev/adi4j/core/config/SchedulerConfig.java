package dev.adi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * diffusers scheduler config (scheduler/scheduler_config.json): the union of the fields the samplers of
 * adi4j read. Fields a sampler does not set keep that sampler's diffusers default (null here).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SchedulerConfig(
        @com.fasterxml.jackson.annotation.JsonProperty("_class_name") String className,
        Integer numTrainTimesteps,
        Double betaStart,
        Double betaEnd,
        String betaSchedule,
        List<Double> trainedBetas,
        String predictionType,
        Boolean clipSample,
        Double clipSampleRange,
        Boolean setAlphaToOne,
        Integer stepsOffset,
        Boolean skipPrkSteps,
        String timestepSpacing,
        Boolean useKarrasSigmas,
        Integer solverOrder,
        String algorithmType,
        String solverType,
        Boolean lowerOrderFinal,
        String finalSigmasType,
        Boolean thresholding,
        Boolean rescaleBetasZeroSnr) {

    public SchedulerConfig {
        numTrainTimesteps = def(numTrainTimesteps, 1000);
        betaStart = def(betaStart, 0.0001);
        betaEnd = def(betaEnd, 0.02);
        betaSchedule = def(betaSchedule, "linear");
        predictionType = def(predictionType, "epsilon");
        stepsOffset = def(stepsOffset, 0);
    }

    private static <T> T def(T v, T d) { return v != null ? v : d; }
}

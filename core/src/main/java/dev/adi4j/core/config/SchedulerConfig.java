package dev.adi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * diffusers scheduler config (scheduler/scheduler_config.json): the union of the fields the samplers of
 * adi4j read. Fields a sampler does not set keep that sampler's diffusers default (null here), because
 * diffusers' defaults differ per scheduler class (e.g. timestep_spacing is "leading" for DDIM, "linspace"
 * for Euler and DPM-Solver; clip_sample is true for DDIM/DDPM).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SchedulerConfig(
        @JsonProperty("_class_name") String className,
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
        Boolean rescaleBetasZeroSnr,
        Boolean eulerAtFinal,
        Boolean useLuLambdas,
        Double lambdaMinClipped,
        String varianceType,
        Double sigmaMin,
        Double sigmaMax,
        String interpolationType,
        String timestepType) {

    public SchedulerConfig {
        numTrainTimesteps = def(numTrainTimesteps, 1000);
        betaStart = def(betaStart, 0.0001);
        betaEnd = def(betaEnd, 0.02);
        betaSchedule = def(betaSchedule, "linear");
        predictionType = def(predictionType, "epsilon");
        stepsOffset = def(stepsOffset, 0);
        trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
    }

    /**
     * This config with some fields replaced, the way diffusers' {@code Cls.from_config(config, **overrides)}
     * does. Keys are the snake_case JSON names (e.g. {@code "prediction_type"}); a null value resets a field to
     * the sampler's default. Unknown keys are rejected, so a typo does not silently do nothing.
     *
     * @throws IllegalArgumentException naming the key or value that does not fit
     */
    public SchedulerConfig withOverrides(Map<String, ?> overrides) {
        if (overrides == null || overrides.isEmpty()) return this;
        ObjectNode node = Configs.mapper().valueToTree(this);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!node.has(e.getKey())) {
                throw new IllegalArgumentException("unknown scheduler config field '" + e.getKey()
                        + "'; known fields: " + String.join(", ", (Iterable<String>) node::fieldNames));
            }
            node.set(e.getKey(), Configs.mapper().valueToTree(e.getValue()));
        }
        try {
            return Configs.mapper().treeToValue(node, SchedulerConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("scheduler config overrides " + overrides + " do not fit: "
                    + ex.getMessage(), ex);
        }
    }

    private static <T> T def(T v, T d) { return v != null ? v : d; }
}

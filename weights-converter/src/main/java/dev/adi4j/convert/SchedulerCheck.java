package dev.adi4j.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.diffusion.scheduler.NoiseSchedule;
import dev.adi4j.diffusion.scheduler.SchedulerException;
import dev.adi4j.diffusion.scheduler.Samplers;

import java.util.Optional;

/**
 * Whether a scheduler config is one adi4j's samplers can run: the same checks the samplers make when a model is
 * loaded, made while converting and verifying so that a bad config is reported then, naming its file.
 */
public final class SchedulerCheck {
    private SchedulerCheck() {
    }

    /** The problem with {@code json}, or empty when the samplers accept it; callers prefix the file. */
    public static Optional<String> problem(ObjectNode json) {
        SchedulerConfig cfg;
        try {
            cfg = Configs.mapper().treeToValue(json, SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            return Optional.of("not a scheduler config: " + e.getOriginalMessage());
        }
        if (cfg.trainedBetas() == null) {
            if (cfg.numTrainTimesteps() == null) return Optional.of("num_train_timesteps is missing");
            boolean needsRange = !"squaredcos_cap_v2".equals(cfg.betaSchedule());
            if (cfg.betaSchedule() == null) return Optional.of("beta_schedule is missing");
            if (needsRange && (cfg.betaStart() == null || cfg.betaEnd() == null)) {
                return Optional.of("beta_start and beta_end are required for beta_schedule '" + cfg.betaSchedule() + "'");
            }
            if (needsRange && !(cfg.betaStart() > 0 && cfg.betaEnd() < 1 && cfg.betaStart() <= cfg.betaEnd())) {
                return Optional.of("beta_start " + cfg.betaStart() + " and beta_end " + cfg.betaEnd()
                        + " must satisfy 0 < beta_start <= beta_end < 1");
            }
        }
        try {
            NoiseSchedule.of(cfg);
            if (cfg.className() != null) Samplers.fromConfig(cfg).setTimesteps(1);
        } catch (SchedulerException | IllegalArgumentException e) {
            return Optional.of(e.getMessage().replaceFirst("^scheduler config: ", ""));
        }
        return Optional.empty();
    }
}

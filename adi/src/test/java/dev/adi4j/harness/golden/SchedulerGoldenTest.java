package dev.adi4j.harness.golden;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.core.config.Configs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The scheduler cases of shared/fixtures/cases.json against diffusers v0.27.2 goldens. */
class SchedulerGoldenTest {
    static Path fixtures() {
        return Shared.fixtures();
    }

    static JsonNode caseNamed(Path fixtures, String name) throws IOException {
        for (JsonNode c : Configs.mapper().readTree(fixtures.resolve("cases.json").toFile()).get("cases")) {
            if (c.get("name").asText().equals(name)) return c;
        }
        throw new AssertionError("cases.json has no case " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sched_ddim", "sched_euler", "sched_dpmpp2m", "sched_pndm", "sched_ddpm_train"})
    void goldenCasePasses(String name) throws IOException {
        Path fx = fixtures();
        JsonNode c = caseNamed(fx, name);
        double tol = c.get("tolerance").asDouble();
        List<CaseResult> results = SchedulerGoldens.run(name, c.get("kind").asText(),
                fx.resolve(c.get("file").asText()), fx.resolve(c.get("configs").asText()),
                c.get("scheduler").asText(), tol);
        results.forEach(System.out::println);
        Set<String> outputs = results.stream().map(CaseResult::output).collect(Collectors.toSet());
        // guards against a vacuous pass: the core outputs must all have been compared
        List<String> required = c.get("kind").asText().equals("scheduler_train")
                ? List.of("noisy_samples", "velocity", "alphas_cumprod", "betas", "timesteps_50", "timesteps_25")
                : List.of("alphas_cumprod", "betas", "timesteps_50", "timesteps_25", "init_noise_sigma_50",
                "v_prediction.n10.prev_sample", "v_prediction.n25.prev_sample", "epsilon.n10.prev_sample",
                "epsilon.n25.prev_sample", "epsilon.n25.model_input", "v_prediction.n25.model_output",
                "epsilon.n25.x_init", "v_prediction.n10.timesteps");
        for (String r : required) assertTrue(outputs.contains(r), name + ": output " + r + " was not compared");
        if (name.equals("sched_euler") || name.equals("sched_dpmpp2m")) {
            assertTrue(outputs.contains("sigmas_25"), "sigmas_25 not compared");
        }
        if (name.equals("sched_ddim") || name.equals("sched_euler")) {
            assertTrue(outputs.contains("v_prediction.n25.pred_original_sample"), "x0 not compared");
        }
        String failures = results.stream().filter(r -> !r.pass()).map(CaseResult::toString)
                .collect(Collectors.joining("\n"));
        assertEquals("", failures, name + " failed");
    }
}

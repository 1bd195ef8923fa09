package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.testsupport.Shared;
import dev.adi4j.testsupport.TensorAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler half of the pipeline goldens: from diffusers' own latents and raw UNet outputs of each step
 * (classifier-free guidance 7.5 applied here), one sampler step must give diffusers' next latents.
 */
class PipelineSchedStepTest {
    @ParameterizedTest
    @CsvSource({"pipeline_ddim, ddim", "pipeline_dpmpp2m, dpmpp2m"})
    void stepsReproduceThePipelineLatents(String name, String sampler) throws Exception {
        Path file = Shared.golden(name + ".safetensors");
        double tol = tolerance(name);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            // the metadata config holds "lambda_min_clipped": -Infinity, as diffusers writes it
            SchedulerConfig cfg = Configs.mapper().readValue(r.metadata().get("scheduler_config"),
                    SchedulerConfig.class);
            Sampler s = Samplers.byName(sampler, cfg);
            s.setTimesteps(Integer.parseInt(r.metadata().get("num_inference_steps")));
            float[] ts = s.timesteps();
            assertArrayEquals(r.loadFloat("timesteps").data().asFloat(), ts, 0f, name + " timesteps");
            double guidance = r.loadFloat("guidance_scale").getDouble(0);
            INDArray unet = r.loadFloat("step_unet_output");
            INDArray latents = r.loadFloat("step_latents");
            INDArray x = r.loadFloat("latents_init").mul(s.initNoiseSigma());
            for (int i = 0; i < ts.length; i++) {
                INDArray out = unet.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup();
                INDArray uncond = out.slice(0).reshape(x.shape());
                INDArray cond = out.slice(1).reshape(x.shape());
                INDArray guided = uncond.add(cond.sub(uncond).muli(guidance));
                x = s.step(guided, ts[i], x).prevSample();
                INDArray expected = latents.slice(i).reshape(x.shape());
                TensorAssert.assertClose(name + " step_latents[" + i + "]", expected, x, tol);
                x = expected; // teacher forcing: the next step starts from diffusers' latents
            }
        }
    }

    /** The case's tolerance in cases.json. */
    private static double tolerance(String caseName) throws java.io.IOException {
        for (var c : Configs.mapper().readTree(Shared.fixture("cases.json").toFile()).get("cases")) {
            if (caseName.equals(c.path("name").asText())) return c.get("tolerance").asDouble();
        }
        throw new AssertionError("no case " + caseName + " in cases.json");
    }
}

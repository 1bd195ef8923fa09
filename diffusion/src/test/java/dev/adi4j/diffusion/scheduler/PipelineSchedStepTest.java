package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.golden.CaseResult;
import dev.adi4j.diffusion.golden.Compare;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

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
        Path file = SchedulerGoldenTest.fixtures().resolve("golden/" + name + ".safetensors");
        double tol = SchedulerGoldenTest.caseNamed(SchedulerGoldenTest.fixtures(), name).get("tolerance")
                .asDouble();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            // the metadata config holds "lambda_min_clipped": -Infinity, as diffusers writes it
            SchedulerConfig cfg = Configs.mapper().readValue(r.metadata().get("scheduler_config"),
                    SchedulerConfig.class);
            Sampler s = Samplers.byName(sampler, cfg);
            s.setTimesteps(Integer.parseInt(r.metadata().get("num_inference_steps")));
            float[] ts = s.timesteps();
            assertEquals(0.0, Compare.compare(name, "timesteps", org.nd4j.linalg.factory.Nd4j.createFromArray(ts),
                    r.loadFloat("timesteps"), 0).maxAbs());
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
                CaseResult res = Compare.compare(name, "step_latents[" + i + "]", x, expected, tol);
                assertTrue(res.pass(), res.toString());
                x = expected; // teacher forcing: the next step starts from diffusers' latents
            }
        }
    }
}

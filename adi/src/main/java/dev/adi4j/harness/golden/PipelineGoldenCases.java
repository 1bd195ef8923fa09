package dev.adi4j.harness.golden;

import dev.adi4j.diffusion.pipeline.Conditioning;
import dev.adi4j.diffusion.pipeline.Denoiser;
import dev.adi4j.diffusion.pipeline.ImageMath;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.scheduler.Sampler;
import dev.adi4j.diffusion.scheduler.Samplers;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden cases of kind {@code pipeline}: given prompt embeddings and initial latents, the sampling loop must
 * reproduce diffusers' every UNet output, every intermediate latent, the final latents and the decoded image.
 * The scheduler is the one recorded in the case file's {@code __metadata__.scheduler_config}.
 */
public final class PipelineGoldenCases {
    private PipelineGoldenCases() {
    }

    public static List<CaseResult> run(String name, Path caseFile, UNet unet, AutoencoderKL vae, List<String> outputs,
                                       double tol) throws IOException {
        try (SafetensorsReader f = SafetensorsReader.open(caseFile)) {
            Sampler sampler = samplerFromMetadata(f);
            int steps = Integer.parseInt(f.metadata().getOrDefault("num_inference_steps",
                    Long.toString(f.info("timesteps").shape()[0])));
            sampler.setTimesteps(steps);
            double guidance = f.loadFloat("guidance_scale").getDouble(0);
            INDArray latents = f.loadFloat("latents_init").mul(sampler.initNoiseSigma());
            List<INDArray> unetOutputs = new ArrayList<>();
            List<INDArray> stepLatents = new ArrayList<>();
            INDArray last = new Denoiser(unet).run(latents, Conditioning.shared(f.loadFloat("prompt_embeds")),
                    Conditioning.shared(f.loadFloat("negative_prompt_embeds")), guidance, sampler, null,
                    (i, n, t, out, x) -> {
                        unetOutputs.add(out.dup());
                        stepLatents.add(x.dup());
                    });
            INDArray decoded = vae.decode(vae.unscaleLatent(last));
            Map<String, INDArray> actual = new HashMap<>();
            actual.put("timesteps", Nd4j.createFromArray(sampler.timesteps()));
            actual.put("step_unet_output", Nd4j.stack(0, unetOutputs.toArray(INDArray[]::new)));
            actual.put("step_latents", Nd4j.stack(0, stepLatents.toArray(INDArray[]::new)));
            actual.put("final_latents", last);
            actual.put("image_decoded", decoded);
            actual.put("image", ImageMath.toUnitRange(decoded));
            return Compare.outputs(name, "the pipeline", outputs, actual, f::loadFloat, tol);
        }
    }

    private static Sampler samplerFromMetadata(SafetensorsReader f) throws IOException {
        String json = f.metadata().get("scheduler_config");
        if (json == null) throw new IllegalArgumentException(f.file() + ": no __metadata__.scheduler_config");
        SchedulerConfig cfg = Configs.mapper().readValue(json, SchedulerConfig.class);
        return Samplers.fromConfig(cfg);
    }
}

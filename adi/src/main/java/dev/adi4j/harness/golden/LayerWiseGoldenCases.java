package dev.adi4j.harness.golden;

import dev.adi4j.adi.identifier.LayerWiseObjective;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden cases of kind {@code layerwise_unet_grad}: identifiers v [layers, D] at the placeholder of a prompt,
 * through the text encoder and the UNet (context k to cross-attention layer k), the DDPM training target from
 * the model's scheduler, and the gradient of the loss w.r.t. v.
 */
public final class LayerWiseGoldenCases {
    private LayerWiseGoldenCases() {
    }

    public static List<CaseResult> run(String name, Path caseFile, Path modelFolder, ClipTextEncoder text, UNet unet,
                                       List<String> outputs, double tol) {
        try (SafetensorsReader f = SafetensorsReader.open(caseFile)) {
            SchedulerConfig sched = Configs.read(modelFolder.resolve("scheduler/scheduler_config.json"), SchedulerConfig.class);
            DdpmTraining training = DdpmTraining.of(sched);
            INDArray idsArr = f.loadFloat("input_ids");
            int[] ids = new int[(int) idsArr.length()];
            for (int i = 0; i < ids.length; i++) ids[i] = idsArr.getInt(i);
            int placeholder = text.config().vocabSize();
            int[] t = {f.loadFloat("timestep").getInt(0)};
            INDArray latents = f.loadFloat("latents");
            INDArray noise = f.loadFloat("noise");
            INDArray noisy = training.addNoise(latents, noise, t);
            INDArray target = training.target(latents, noise, t);
            LayerWiseObjective.Result r = new LayerWiseObjective(text, unet).evaluate(ids, placeholder,
                    f.loadFloat("v"), noisy, Nd4j.createFromArray((float) t[0]), target);
            Map<String, INDArray> actual = new HashMap<>();
            actual.put("encoder_hidden_states", r.contexts());
            actual.put("noisy_latents", noisy);
            actual.put("target", target);
            actual.put("unet_output", r.unetOutput());
            actual.put("loss", Nd4j.createFromArray((float) r.loss()));
            actual.put("grad_v", r.gradV());
            return Compare.outputs(name, "layerwise_unet_grad", outputs, actual, f::loadFloat, tol);
        }
    }
}

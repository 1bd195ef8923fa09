package dev.adi4j.harness.golden;

import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs golden cases of kinds {@code unet_forward} and {@code unet_grad} (format adi4j-golden-cases/1). */
public final class UNetGoldenCases {
    private UNetGoldenCases() {
    }

    /** sample, timestep, encoder_hidden_states -> output. */
    public static List<CaseResult> forward(String name, Path caseFile, UNet unet, List<String> outputs, double tol) {
        try (SafetensorsReader f = SafetensorsReader.open(caseFile)) {
            INDArray out = unet.forward(f.loadFloat("sample"), f.loadFloat("timestep"), f.loadFloat("encoder_hidden_states"));
            return Compare.outputs(name, "unet_forward", outputs, Map.of("output", out), f::loadFloat, tol);
        }
    }

    /** sample, timestep, encoder_hidden_states, target -> output, loss, grad_sample, grad_encoder_hidden_states. */
    public static List<CaseResult> grad(String name, Path caseFile, UNet unet, List<String> outputs, double tol) {
        try (SafetensorsReader f = SafetensorsReader.open(caseFile)) {
            UNet.LossGradients r = unet.lossGradients(f.loadFloat("sample"), f.loadFloat("timestep"),
                    List.of(f.loadFloat("encoder_hidden_states")), f.loadFloat("target"), true);
            Map<String, INDArray> actual = Map.of(
                    "output", r.output(),
                    "loss", org.nd4j.linalg.factory.Nd4j.scalar(r.loss()).reshape(1),
                    "grad_sample", r.sampleGradient(),
                    "grad_encoder_hidden_states", r.contextGradients().get(0));
            return Compare.outputs(name, "unet_grad", outputs, actual, f::loadFloat, tol);
        }
    }
}

package dev.adi4j.diffusion.unet;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.testsupport.TensorAssert;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;


/**
 * Full-parameter training is possible: with trainable weights (SameDiff variables) the UNet's weight gradients
 * equal the reference's {@code grad_param.*} of the unet_grad golden.
 */
class UNetFullParameterGradTest {
    static final Path FIXTURES = dev.adi4j.testsupport.Shared.fixtures();

    @Test
    void weightGradientsEqualTheReference() throws Exception {
        Path folder = FIXTURES.resolve("tiny-sd/unet");
        UNetConfig config = Configs.read(folder.resolve("config.json"), UNetConfig.class);
        Map<String, ParamSpec> specs = UNet.declaredParameters(config).stream()
                .collect(Collectors.toMap(ParamSpec::name, Function.identity()));
        List<String> names = List.of("conv_in.weight", "conv_out.bias", "time_embedding.linear_1.weight",
                "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight",
                "mid_block.attentions.0.proj_in.weight", "up_blocks.3.resnets.1.norm1.weight");
        try (SafetensorsReader weights = SafetensorsReader.open(folder.resolve(UNet.WEIGHTS_FILE));
             SafetensorsReader golden = SafetensorsReader.open(FIXTURES.resolve("golden/unet_grad.safetensors"));
             UNet unet = new UNet(config, new SafetensorsParameters(List.of(weights), true, k -> false), null)) {
            INDArray sample = golden.loadFloat("sample");
            INDArray context = golden.loadFloat("encoder_hidden_states");
            NetGraph g = unet.graph(new UNetGraphSpec(sample.size(0), sample.size(2), sample.size(3), context.size(1),
                    false, false, false, true));
            Map<String, INDArray> r = g.gradients(Map.of("sample", sample, "timestep", golden.loadFloat("timestep"),
                    "encoder_hidden_states", context, "target", golden.loadFloat("target")), "loss",
                    names.toArray(String[]::new), "loss");
            for (String name : names) {
                INDArray grad = specs.get(name).layout().toReference(r.get("grad:" + name));
                TensorAssert.assertClose("unet_grad grad_param." + name, golden.loadFloat("grad_param." + name), grad, 1e-3);
            }
        }
    }
}

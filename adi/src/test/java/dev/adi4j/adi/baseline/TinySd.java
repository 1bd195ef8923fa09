package dev.adi4j.adi.baseline;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.tokenizer.ClipTokenizer;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

/** The shared tiny SD 2.1 fixture model and a plain SGD for tests. */
final class TinySd {
    static final Path ROOT = Shared.root().resolve("fixtures/tiny-sd");

    private TinySd() {
    }

    static UNet trainableUNet() {
        return UNet.load(ROOT.resolve(ModelFolder.UNET), CustomDiffusion.TRAINABLE);
    }

    static ClipTextEncoder text() {
        return ClipTextEncoder.load(ROOT.resolve(ModelFolder.TEXT_ENCODER));
    }

    static ClipTokenizer tokenizer() {
        return ClipTokenizer.load(ModelFolder.open(ROOT).tokenizer().folder(), ClipTokenizer.Pipeline.HF);
    }

    static SchedulerConfig scheduler() {
        return ModelFolder.open(ROOT).scheduler();
    }

    static AutoencoderKL vae() {
        return AutoencoderKL.load(ROOT.resolve(ModelFolder.VAE));
    }

    /** p -= lr * g, and records which parameters it was given. */
    static final class Sgd implements ParamUpdater {
        final java.util.Set<String> seen = new java.util.LinkedHashSet<>();

        @Override
        public void step(String name, INDArray param, INDArray grad, double lr) {
            if (!java.util.Arrays.equals(param.shape(), grad.shape())) {
                throw new AssertionError(name + ": gradient shape differs from the parameter's");
            }
            seen.add(name);
            param.subi(grad.mul(lr));
        }
    }
}

package dev.adi4j.adi.baseline;

import dev.adi4j.diffusion.pipeline.Conditioning;
import dev.adi4j.diffusion.pipeline.Denoiser;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.ImageMath;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.pipeline.StepListener;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.scheduler.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * ADI's action-different samples (adi-method.md section 3, [ours]): with one anchor's Custom Diffusion subject
 * model applied, draws "a photo of &lt;S&gt; person {action}" for other action phrases — the same person and look
 * doing something else. Every action uses the same seed, so the samples differ by the action phrase, not the noise.
 */
public final class ActionDifferentSamples {
    /** Action phrases used when none are given. */
    public static final List<String> DEFAULT_ACTIONS = List.of("standing", "walking", "sitting", "running",
            "lying down", "jumping", "waving", "dancing");
    /** {token} and {action} are replaced. */
    public static final String DEFAULT_TEMPLATE = "a photo of {token} person {action}";

    private ActionDifferentSamples() {
    }

    /**
     * Sampling settings.
     *
     * @param sampler sampler name, or null for the model's scheduler
     */
    public record Settings(String template, String negativePrompt, int width, int height, int steps, double guidance,
                           String sampler, long seed) {
        public Settings {
            if (!template.contains("{token}") || !template.contains("{action}")) {
                throw new IllegalArgumentException("the template must contain {token} and {action}: " + template);
            }
            if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
                throw new IllegalArgumentException("width and height must be positive multiples of 8, got " + width + "x" + height);
            }
            if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            negativePrompt = negativePrompt == null ? "" : negativePrompt;
        }

        /** The defaults at a given size: {@link #DEFAULT_TEMPLATE}, 25 steps, guidance 7.5, the model's sampler. */
        public static Settings of(int width, int height, long seed) {
            return new Settings(DEFAULT_TEMPLATE, "", width, height, 25, 7.5, null, seed);
        }
    }

    /** One sample: final latents [1, C, h, w] (diffusion space, scaled) and the decoded image [1, 3, H, W] in [0, 1]. */
    public record Sample(String action, String prompt, long seed, INDArray latents, INDArray image) {
    }

    /**
     * Generates one sample per action with {@code subject} applied to the pipeline's UNet; the UNet's weights are
     * restored afterwards, also on failure.
     */
    public static List<Sample> generate(StableDiffusionPipeline pipeline, CustomDiffusionDeltas subject,
                                        List<String> actions, Settings settings) {
        if (actions.isEmpty()) throw new IllegalArgumentException("no action phrases given");
        Identifiers token = subject.identifiers();
        List<Sample> out = new ArrayList<>();
        try (CustomDiffusionDeltas.Applied ignored = subject.applyTo(pipeline.unet())) {
            Conditioning negative = pipeline.encode(settings.negativePrompt(), token);
            for (String action : actions) {
                String prompt = settings.template().replace("{token}", subject.token()).replace("{action}", action);
                Conditioning positive = pipeline.encode(prompt, token);
                Sampler sampler = pipeline.sampler(settings.sampler());
                sampler.setTimesteps(settings.steps());
                NoiseSource rng = NoiseSource.gaussian(settings.seed());
                long factor = pipeline.codec().downscaleFactor();
                long[] shape = {1, pipeline.unet().config().inChannels(), settings.height() / factor, settings.width() / factor};
                INDArray init = rng.next(shape).muli(sampler.initNoiseSigma());
                INDArray latents = new Denoiser(pipeline.unet()).run(init, positive, negative, settings.guidance(), sampler,
                        rng, StepListener.NONE);
                INDArray image = ImageMath.toUnitRange(pipeline.codec().decode(latents));
                out.add(new Sample(action, prompt, settings.seed(), latents, image));
            }
        }
        return out;
    }
}

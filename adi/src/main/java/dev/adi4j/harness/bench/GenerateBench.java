package dev.adi4j.harness.bench;

import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.pipeline.StepListener;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code adi generate}'s pipeline, timed per image: tokenize and encode the prompt and the negative prompt, sample
 * with classifier-free guidance (unconditional and conditional rows in one UNet batch of 2) with the model's own
 * scheduler, VAE decode. One image per run, no PNG writing.
 */
public final class GenerateBench {
    /** The prompts of the workload (the negative prompt is generate's default, empty). */
    public static final String PROMPT = "a photo of a person doing a handstand";
    public static final String NEGATIVE_PROMPT = "";

    /** The pipeline's result: the timing and what the PyTorch side needs to run the same request. */
    public record Run(Timing.Result result, int[] promptIds, int[] negativeIds, String sampler) {
    }

    private GenerateBench() {
    }

    public static String name(String label, int width, int height, int steps, double guidance) {
        return String.format(java.util.Locale.ROOT, "%s generate %dx%d %d steps cfg %s", label, width, height, steps,
                guidance == Math.rint(guidance) ? Long.toString((long) guidance) : Double.toString(guidance));
    }

    public static Run run(String label, Path model, int width, int height, int steps, double guidance,
                          Timing.Warmup warmup, int runs, Consumer<String> log) throws Exception {
        log.accept("loading the pipeline of " + model + " ...");
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model)) {
            String sampler = pipe.sampler(null).getClass().getSimpleName();
            String name = name(label, width, height, steps, guidance);
            log.accept(name + " (" + sampler + ") ...");
            long[] seed = {0};
            Timing.Result r = Timing.measure(name, warmup, runs, () -> pipe.generate(new GenerationRequest(PROMPT,
                    NEGATIVE_PROMPT, width, height, steps, guidance, null, seed[0]++, 1), Identifiers.none(), StepListener.NONE));
            log.accept(r.row());
            return new Run(r, pipe.tokenizer().encode(PROMPT), pipe.tokenizer().encode(NEGATIVE_PROMPT), sampler);
        }
    }
}

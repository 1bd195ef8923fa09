package dev.adi4j.cli;

import dev.adi4j.adi.data.PromptTemplates;
import dev.adi4j.adi.mask.MaskScope;
import dev.adi4j.adi.train.RunFolder;
import dev.adi4j.adi.train.TrainConfig;
import dev.adi4j.adi.train.TrainMethod;
import dev.adi4j.adi.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code adi train}: learns identifiers (or a Custom Diffusion model) for one action from an action folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn identifiers for one action from ~10 images (ADI, P+, Textual Inversion, ablations).",
                "Writes identifiers.safetensors (for adi generate --identifiers), log.jsonl, checkpoints, validation "
                        + "images and report.html into --output-dir."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "diffusers model folder") Path model;
    @Option(names = "--train-data-dir", required = true, description = "images + captions.txt (file<TAB>caption) or metadata.jsonl")
    Path trainDataDir;
    @Option(names = "--output-dir", required = true, description = "the run folder (an existing run folder is continued)")
    Path outputDir;
    @Option(names = "--force", description = "write into an existing non-empty --output-dir that is not a run folder")
    boolean force;
    @Option(names = "--method", defaultValue = "adi", description = "ti, pplus, adi, adi-union, adi-context-only, adi-action-only (default: ${DEFAULT-VALUE})")
    String method;
    @Option(names = "--placeholder-token", defaultValue = "<action>") String placeholderToken;
    @Option(names = "--initializer-token", defaultValue = "person", description = "one word; its embedding starts every identifier")
    String initializerToken;
    @Option(names = "--beta", defaultValue = "0.5", description = "ADI masking ratio (default: ${DEFAULT-VALUE})") double beta;
    @Option(names = "--mask-scope", defaultValue = "token", description = "token or global quantiles") String maskScope;
    @Option(names = "--learning-rate", defaultValue = "5e-3") double learningRate;
    @Option(names = "--scale-lr", description = "multiply the learning rate by --gradient-accumulation-steps") boolean scaleLr;
    @Option(names = "--lr-scheduler", defaultValue = "constant", description = "constant, constant_with_warmup, linear, cosine")
    String lrScheduler;
    @Option(names = "--lr-warmup-steps", defaultValue = "0") int lrWarmupSteps;
    @Option(names = "--adam-weight-decay", defaultValue = "1e-2") double adamWeightDecay;
    @Option(names = "--max-train-steps", defaultValue = "500") int maxTrainSteps;
    @Option(names = "--gradient-accumulation-steps", defaultValue = "1") int gradientAccumulationSteps;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--resolution", defaultValue = "512") int resolution;
    @Option(names = "--random-flip", description = "mirror images at random (off: it swaps left- and right-handed actions)")
    boolean randomFlip;
    @Option(names = "--require-captions", description = "refuse images without a caption") boolean requireCaptions;
    @Option(names = "--template", description = "prompt template, repeatable; {} = placeholder, {caption} = the image's caption")
    List<String> templates;
    @Option(names = "--validation-prompt", description = "e.g. \"a photo of a panda <action>\"") String validationPrompt;
    @Option(names = "--num-validation-images", defaultValue = "4") int numValidationImages;
    @Option(names = "--validation-steps", defaultValue = "100") int validationSteps;
    @Option(names = "--validation-inference-steps", defaultValue = "25") int validationInferenceSteps;
    @Option(names = "--checkpointing-steps", defaultValue = "100") int checkpointingSteps;
    @Option(names = "--checkpoints-total-limit", defaultValue = "0", description = "keep the newest N checkpoints (0: all)")
    int checkpointsTotalLimit;
    @Option(names = "--resume-from-checkpoint", description = "a checkpoint folder, or latest") String resumeFromCheckpoint;
    @Option(names = "--action-different-steps", defaultValue = "200") int actionDifferentSteps;
    @Option(names = "--action-different-lr", defaultValue = "1e-5") double actionDifferentLr;
    @Option(names = "--action-different-phrase", description = "other action for the subject model, repeatable (default: standing, walking, sitting, ...)")
    List<String> actionDifferentPhrases;
    @Option(names = "--action-different-dir", description = "your own action-different images, named as the anchors")
    Path actionDifferentDir;

    @Override
    public Integer call() {
        TrainConfig config = config().validate();
        new RunFolder(config.outputDir()).checkUsable(force);
        Trainer.Result r = new Trainer(config, new TrainProgress(System.err)).run();
        System.out.println(r.identifiers());
        System.err.printf("%d steps, last loss %.4f, %.1f s%n", r.steps(), r.lastLoss(), r.seconds());
        return 0;
    }

    TrainConfig config() {
        return new TrainConfig(model, trainDataDir, outputDir, placeholderToken, initializerToken,
                TrainMethod.parse(method), beta, MaskScope.parse(maskScope), learningRate, scaleLr, lrScheduler,
                lrWarmupSteps, adamWeightDecay, maxTrainSteps, gradientAccumulationSteps, seed, resolution, randomFlip,
                requireCaptions, templates == null ? PromptTemplates.DEFAULTS : templates, validationPrompt,
                numValidationImages, validationSteps, validationInferenceSteps, checkpointingSteps,
                checkpointsTotalLimit, resumeFromCheckpoint, actionDifferentSteps, actionDifferentLr,
                actionDifferentPhrases == null ? TrainConfig.DEFAULT_ACTION_PHRASES : actionDifferentPhrases,
                actionDifferentDir);
    }
}

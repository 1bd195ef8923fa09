package dev.adi4j.adi.train;

import dev.adi4j.adi.data.PromptTemplates;
import dev.adi4j.adi.mask.MaskScope;
import dev.adi4j.adi.optim.LrSchedule;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training run needs; the flags of {@code adi train} map one to one (diffusers' names where the
 * concept is the same). {@link #defaults} gives the documented defaults; {@link #validate} checks every value before
 * any work starts and names the flag of a bad one.
 *
 * @param model                  diffusers model folder
 * @param trainDataDir           action folder: images + captions.txt or metadata.jsonl
 * @param outputDir              the run folder
 * @param placeholderToken       the identifier's token, e.g. {@code <handstand>}
 * @param initializerToken       one word whose embedding initialises every identifier row (e.g. "person")
 * @param method                 ti, pplus, adi, the ablations, or custom-diffusion
 * @param beta                   ADI's masking ratio
 * @param maskScope              quantiles per identifier row (token) or over all rows (global)
 * @param learningRate           base learning rate
 * @param scaleLr                multiply the learning rate by the gradient-accumulation steps (batch size is 1)
 * @param lrScheduler            constant, constant_with_warmup, linear or cosine
 * @param lrWarmupSteps          warm-up steps of the schedule
 * @param adamWeightDecay        AdamW's decoupled weight decay
 * @param maxTrainSteps          optimizer steps
 * @param gradientAccumulationSteps micro-steps whose (masked) gradients are averaged into one update
 * @param seed                   seed of every random choice; a run is a function of its config and seed
 * @param resolution             training images are resized and centre-cropped to this size (pixels)
 * @param randomFlip             flip images horizontally at random (off: it swaps left- and right-handed actions)
 * @param requireCaptions        refuse images without a caption
 * @param templates              prompt templates ({} = the placeholder, {caption} = the image's caption)
 * @param validationPrompt       prompt for validation images (null: none)
 * @param numValidationImages    images per validation
 * @param validationSteps        validate every N steps (and at the end)
 * @param validationInferenceSteps sampler steps of validation images
 * @param checkpointingSteps     checkpoint every N steps (and at the end)
 * @param checkpointsTotalLimit  keep at most N checkpoints (0: all)
 * @param resumeFromCheckpoint   null, "latest", or a checkpoint folder
 * @param actionDifferentSteps   fine-tuning steps of the per-anchor subject model (ADI's action-different samples)
 * @param actionDifferentLr      AdamW learning rate of that subject model (Custom Diffusion's 1e-5 by default)
 * @param actionDifferentPhrases other actions the subject model is asked to draw
 * @param actionDifferentDir     user-supplied action-different images (file names as the anchors'), or null
 */
public record TrainConfig(
        Path model, Path trainDataDir, Path outputDir, String placeholderToken, String initializerToken,
        TrainMethod method, double beta, MaskScope maskScope,
        double learningRate, boolean scaleLr, String lrScheduler, int lrWarmupSteps, double adamWeightDecay,
        int maxTrainSteps, int gradientAccumulationSteps, long seed,
        int resolution, boolean randomFlip, boolean requireCaptions, List<String> templates,
        String validationPrompt, int numValidationImages, int validationSteps, int validationInferenceSteps,
        int checkpointingSteps, int checkpointsTotalLimit, String resumeFromCheckpoint,
        int actionDifferentSteps, double actionDifferentLr, List<String> actionDifferentPhrases,
        Path actionDifferentDir) {

    public static final List<String> DEFAULT_ACTION_PHRASES = List.of("standing", "walking", "sitting",
            "running", "lying down", "jumping");

    public TrainConfig {
        templates = List.copyOf(templates);
        actionDifferentPhrases = List.copyOf(actionDifferentPhrases);
    }

    /** The documented defaults for a model, an action folder and a run folder. */
    public static TrainConfig defaults(Path model, Path trainDataDir, Path outputDir) {
        return new TrainConfig(model, trainDataDir, outputDir, "<action>", "person", TrainMethod.ADI, 0.5,
                MaskScope.TOKEN, 5e-3, false, "constant", 0, 1e-2, 500, 1, 0, 512, false, false,
                PromptTemplates.DEFAULTS, null, 4, 100, 25, 100, 0, null, 200, 1e-5, DEFAULT_ACTION_PHRASES, null);
    }

    /** Learning rate after {@code --scale-lr}. */
    public double effectiveLearningRate() {
        return scaleLr ? learningRate * gradientAccumulationSteps : learningRate;
    }

    /** The learning-rate schedule over the run. */
    public LrSchedule schedule() {
        return LrSchedule.of(lrScheduler, lrWarmupSteps, maxTrainSteps);
    }

    /** Checks every value; the message names the flag, the value and what is allowed. */
    public TrainConfig validate() {
        require(model != null, "--model is required");
        require(trainDataDir != null, "--train-data-dir is required");
        require(outputDir != null, "--output-dir is required");
        require(placeholderToken != null && !placeholderToken.isBlank() && !placeholderToken.contains(" "),
                "--placeholder-token must be one non-blank token without spaces, got '" + placeholderToken + "'");
        require(initializerToken != null && !initializerToken.isBlank(), "--initializer-token must not be blank");
        require(Double.isFinite(beta) && beta >= 0 && beta <= 1, "--beta must be in [0, 1], got " + beta);
        require(Double.isFinite(learningRate) && learningRate > 0, "--learning-rate must be > 0, got " + learningRate);
        require(Double.isFinite(adamWeightDecay) && adamWeightDecay >= 0,
                "--adam-weight-decay must be >= 0, got " + adamWeightDecay);
        require(maxTrainSteps >= 1, "--max-train-steps must be >= 1, got " + maxTrainSteps);
        require(gradientAccumulationSteps >= 1,
                "--gradient-accumulation-steps must be >= 1, got " + gradientAccumulationSteps);
        require(lrWarmupSteps >= 0, "--lr-warmup-steps must be >= 0, got " + lrWarmupSteps);
        require(resolution >= 8 && resolution <= 4096 && resolution % 8 == 0,
                "--resolution must be a multiple of 8 in [8, 4096], got " + resolution);
        require(numValidationImages >= 1, "--num-validation-images must be >= 1, got " + numValidationImages);
        require(validationSteps >= 1, "--validation-steps must be >= 1, got " + validationSteps);
        require(validationInferenceSteps >= 1, "--validation-inference-steps must be >= 1, got " + validationInferenceSteps);
        require(checkpointingSteps >= 1, "--checkpointing-steps must be >= 1, got " + checkpointingSteps);
        require(checkpointsTotalLimit >= 0, "--checkpoints-total-limit must be >= 0, got " + checkpointsTotalLimit);
        require(actionDifferentSteps >= 1, "--action-different-steps must be >= 1, got " + actionDifferentSteps);
        require(Double.isFinite(actionDifferentLr) && actionDifferentLr > 0,
                "--action-different-lr must be > 0, got " + actionDifferentLr);
        require(!actionDifferentPhrases.isEmpty(), "--action-different-phrases must name at least one action");
        require(!templates.isEmpty(), "--templates must give at least one template");
        try {
            PromptTemplates.of(templates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--templates: " + e.getMessage());
        }
        if (validationPrompt != null) {
            require(validationPrompt.contains(placeholderToken), "--validation-prompt must contain the placeholder "
                    + placeholderToken + ", got '" + validationPrompt + "'");
        }
        try {
            schedule();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lr-scheduler: " + e.getMessage());
        }
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }


    /** A builder starting from this config: {@code TrainConfig.defaults(...).toBuilder().maxTrainSteps(300).build()}. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.trainDataDir = trainDataDir;
        b.outputDir = outputDir;
        b.placeholderToken = placeholderToken;
        b.initializerToken = initializerToken;
        b.method = method;
        b.beta = beta;
        b.maskScope = maskScope;
        b.learningRate = learningRate;
        b.scaleLr = scaleLr;
        b.lrScheduler = lrScheduler;
        b.lrWarmupSteps = lrWarmupSteps;
        b.adamWeightDecay = adamWeightDecay;
        b.maxTrainSteps = maxTrainSteps;
        b.gradientAccumulationSteps = gradientAccumulationSteps;
        b.seed = seed;
        b.resolution = resolution;
        b.randomFlip = randomFlip;
        b.requireCaptions = requireCaptions;
        b.templates = templates;
        b.validationPrompt = validationPrompt;
        b.numValidationImages = numValidationImages;
        b.validationSteps = validationSteps;
        b.validationInferenceSteps = validationInferenceSteps;
        b.checkpointingSteps = checkpointingSteps;
        b.checkpointsTotalLimit = checkpointsTotalLimit;
        b.resumeFromCheckpoint = resumeFromCheckpoint;
        b.actionDifferentSteps = actionDifferentSteps;
        b.actionDifferentLr = actionDifferentLr;
        b.actionDifferentPhrases = actionDifferentPhrases;
        b.actionDifferentDir = actionDifferentDir;
        return b;
    }

    /** Sets components one by one; {@link #build} validates. */
    public static final class Builder {
        private Path model;
        private Path trainDataDir;
        private Path outputDir;
        private String placeholderToken;
        private String initializerToken;
        private TrainMethod method;
        private double beta;
        private MaskScope maskScope;
        private double learningRate;
        private boolean scaleLr;
        private String lrScheduler;
        private int lrWarmupSteps;
        private double adamWeightDecay;
        private int maxTrainSteps;
        private int gradientAccumulationSteps;
        private long seed;
        private int resolution;
        private boolean randomFlip;
        private boolean requireCaptions;
        private List<String> templates;
        private String validationPrompt;
        private int numValidationImages;
        private int validationSteps;
        private int validationInferenceSteps;
        private int checkpointingSteps;
        private int checkpointsTotalLimit;
        private String resumeFromCheckpoint;
        private int actionDifferentSteps;
        private double actionDifferentLr;
        private List<String> actionDifferentPhrases;
        private Path actionDifferentDir;

        private Builder() {
        }

        public Builder model(Path value) {
            this.model = value;
            return this;
        }

        public Builder trainDataDir(Path value) {
            this.trainDataDir = value;
            return this;
        }

        public Builder outputDir(Path value) {
            this.outputDir = value;
            return this;
        }

        public Builder placeholderToken(String value) {
            this.placeholderToken = value;
            return this;
        }

        public Builder initializerToken(String value) {
            this.initializerToken = value;
            return this;
        }

        public Builder method(TrainMethod value) {
            this.method = value;
            return this;
        }

        public Builder beta(double value) {
            this.beta = value;
            return this;
        }

        public Builder maskScope(MaskScope value) {
            this.maskScope = value;
            return this;
        }

        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        public Builder scaleLr(boolean value) {
            this.scaleLr = value;
            return this;
        }

        public Builder lrScheduler(String value) {
            this.lrScheduler = value;
            return this;
        }

        public Builder lrWarmupSteps(int value) {
            this.lrWarmupSteps = value;
            return this;
        }

        public Builder adamWeightDecay(double value) {
            this.adamWeightDecay = value;
            return this;
        }

        public Builder maxTrainSteps(int value) {
            this.maxTrainSteps = value;
            return this;
        }

        public Builder gradientAccumulationSteps(int value) {
            this.gradientAccumulationSteps = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder resolution(int value) {
            this.resolution = value;
            return this;
        }

        public Builder randomFlip(boolean value) {
            this.randomFlip = value;
            return this;
        }

        public Builder requireCaptions(boolean value) {
            this.requireCaptions = value;
            return this;
        }

        public Builder templates(List<String> value) {
            this.templates = value;
            return this;
        }

        public Builder validationPrompt(String value) {
            this.validationPrompt = value;
            return this;
        }

        public Builder numValidationImages(int value) {
            this.numValidationImages = value;
            return this;
        }

        public Builder validationSteps(int value) {
            this.validationSteps = value;
            return this;
        }

        public Builder validationInferenceSteps(int value) {
            this.validationInferenceSteps = value;
            return this;
        }

        public Builder checkpointingSteps(int value) {
            this.checkpointingSteps = value;
            return this;
        }

        public Builder checkpointsTotalLimit(int value) {
            this.checkpointsTotalLimit = value;
            return this;
        }

        public Builder resumeFromCheckpoint(String value) {
            this.resumeFromCheckpoint = value;
            return this;
        }

        public Builder actionDifferentSteps(int value) {
            this.actionDifferentSteps = value;
            return this;
        }

        public Builder actionDifferentLr(double value) {
            this.actionDifferentLr = value;
            return this;
        }

        public Builder actionDifferentPhrases(List<String> value) {
            this.actionDifferentPhrases = value;
            return this;
        }

        public Builder actionDifferentDir(Path value) {
            this.actionDifferentDir = value;
            return this;
        }

        /** The config, validated. */
        public TrainConfig build() {
            return new TrainConfig(model, trainDataDir, outputDir, placeholderToken, initializerToken, method, beta, maskScope, learningRate, scaleLr, lrScheduler, lrWarmupSteps, adamWeightDecay, maxTrainSteps, gradientAccumulationSteps, seed, resolution, randomFlip, requireCaptions, templates, validationPrompt, numValidationImages, validationSteps, validationInferenceSteps, checkpointingSteps, checkpointsTotalLimit, resumeFromCheckpoint, actionDifferentSteps, actionDifferentLr, actionDifferentPhrases, actionDifferentDir).validate();
        }
    }
}

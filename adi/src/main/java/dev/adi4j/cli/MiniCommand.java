package dev.adi4j.cli;

import dev.adi4j.mini.base.BaseModelTrainer;
import dev.adi4j.mini.base.BaseTrainConfig;
import dev.adi4j.mini.bench.BaseModelCheck;
import dev.adi4j.mini.judge.Evaluation;
import dev.adi4j.mini.judge.Judge;
import dev.adi4j.mini.judge.JudgeTrainConfig;
import dev.adi4j.mini.judge.JudgeTrainer;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.ContactSheet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code adi mini}: the mini action world's tools — its renders, its judge and its base model, each trained by adi4j
 * itself. Training commands print progress and checkpoint; run again with the same folder to resume the base model.
 */
@Command(name = "mini", mixinStandardHelpOptions = true,
        description = "The mini action world (docs/mini-world): renders, judge and base-model training.",
        subcommands = {MiniCommand.Sheet.class, MiniCommand.TrainJudge.class, MiniCommand.TrainBase.class,
                MiniCommand.CheckBase.class})
public final class MiniCommand implements Runnable {
    @Override
    public void run() {
        throw new UserException("name a subcommand: sheet, train-judge, train-base or check-base (adi mini --help)");
    }

    /** {@code adi mini sheet}: a labelled contact sheet of every subject doing every action. */
    @Command(name = "sheet", mixinStandardHelpOptions = true,
            description = "Write a contact sheet (subjects x actions) of the renderer as a PNG.")
    static final class Sheet implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "PNG file to write") Path out;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--size", defaultValue = "64", description = "render size, 32 or 64 (default: ${DEFAULT-VALUE})") int size;
        @Option(names = "--force", description = "overwrite an existing file") boolean force;

        @Override
        public Integer call() throws Exception {
            if (size != 32 && size != 64) throw new UserException("--size must be 32 or 64, got " + size);
            ContactSheet.write(out, seed, size, size == 32 ? 2 : 1, CaptionPolicy.DEFAULT, force);
            System.out.println("wrote " + out);
            return 0;
        }
    }

    /** {@code adi mini train-judge}: trains the subject/action classifier on fresh renders. */
    @Command(name = "train-judge", mixinStandardHelpOptions = true,
            description = "Train the judge (subject and action classifier) on rendered images; reports held-out accuracy.")
    static final class TrainJudge implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "folder for judge.safetensors and judge.json") Path out;
        @Option(names = "--steps", description = "training steps (default: the committed judge's)") Integer steps;

        @Override
        public Integer call() throws Exception {
            JudgeTrainConfig config = JudgeTrainConfig.standard();
            if (steps != null) {
                Flags.atLeast("--steps", steps, 1);
                config = config.withSteps(steps);
            }
            Evaluation e = JudgeTrainer.train(config, out, System.out::println);
            System.out.println(e.summary());
            return 0;
        }
    }

    /** {@code adi mini train-base}: trains the mini base model from scratch, resumably. */
    @Command(name = "train-base", mixinStandardHelpOptions = true,
            description = "Train the mini world's base model from scratch (resumes from RUN_DIR's checkpoint); exports RUN_DIR/model.")
    static final class TrainBase implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "run folder (checkpoint, log, exported model)") Path out;
        @Option(names = "--steps", description = "total steps (default: the spec's 10000)") Integer steps;
        @Option(names = "--write-data", paramLabel = "FILE", description = "only write the run's rendered training set "
                + "(for tools/parity/train_base_torch.py) and exit") Path writeData;

        @Override
        public Integer call() throws Exception {
            if (writeData != null) {
                BaseModelTrainer.writeTrainingData(BaseTrainConfig.standard(), out, writeData);
                System.out.println("training set written to " + writeData);
                return 0;
            }
            // One gradient plan is run every step: its arena, above the default cap sized for one-off graphs, is worth
            // keeping (SameDiff's session instead ran 0.6 vs 0.8 steps/s), so the cap is raised unless set.
            if (System.getProperty("adi4j.plan.maxArenaMB") == null) System.setProperty("adi4j.plan.maxArenaMB", "4096");
            BaseTrainConfig config = BaseTrainConfig.standard();
            if (steps != null) {
                Flags.atLeast("--steps", steps, 1);
                config = config.withSteps(steps);
            }
            BaseModelTrainer.Result r = BaseModelTrainer.run(config, out, System.out::println);
            System.out.println("model: " + r.model());
            return 0;
        }
    }

    /** {@code adi mini check-base}: the judge's accuracy on the base model's drawings of the actions it knows by name. */
    @Command(name = "check-base", mixinStandardHelpOptions = true,
            description = "Generate every subject doing every captioned action with the base model and score them with the judge.")
    static final class CheckBase implements Callable<Integer> {
        @Option(names = "--model", description = "mini-world model folder (default: the embedded one)") Path model;
        @Option(names = "--out", defaultValue = "base-check", description = "folder for the grids") Path out;
        @Option(names = "--seeds", defaultValue = "2", description = "images per subject and action") int seeds;
        @Option(names = "--steps", defaultValue = "20", description = "sampler steps") int steps;
        @Option(names = "--guidance", defaultValue = "3.0", description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
        double guidance;
        @Option(names = "--write-card", description = "also record the result in the model folder (README.md section, samples.png)")
        boolean writeCard;

        @Override
        public Integer call() throws Exception {
            Flags.atLeast("--seeds", seeds, 1);
            Flags.atLeast("--steps", steps, 1);
            Path folder = Flags.miniModel(model);
            List<BaseModelCheck.Result> results = BaseModelCheck.run(folder, Judge.bundled(), seeds, steps, guidance, 1, out,
                    System.err::println);
            for (BaseModelCheck.Result r : results) System.out.println(r.line() + "  " + r.grid());
            if (writeCard) {
                if (model == null) throw new UserException("--write-card needs --model (the embedded model is read-only)");
                BaseModelCheck.writeCard(model, results, seeds, steps, guidance);
                System.out.println("recorded in " + model.resolve("README.md"));
            }
            return 0;
        }
    }
}

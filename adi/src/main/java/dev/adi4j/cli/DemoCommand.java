package dev.adi4j.cli;

import dev.adi4j.mini.bench.MiniBench;
import dev.adi4j.mini.bench.MiniBenchConfig;
import dev.adi4j.mini.bench.MiniBenchReport;
import dev.adi4j.mini.judge.Judge;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Subject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code adi demo}: the whole product on the embedded mini world, no argument needed: ADI identifiers for a handstand
 * (an action the base model cannot be asked for in words) from 10 rendered exemplars of people and a robot, then every
 * subject doing it, the animals included, judged and shown in report.html.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Learn ADI identifiers for a held-out action of the embedded mini world from 10 exemplars, draw every "
                + "subject doing it, write report.html (a few minutes on 2 cores).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "adi-demo", description = "output folder (default: adi-demo; rerun to reuse)") Path out;
    @Option(names = "--action", defaultValue = "handstand", description = "handstand or jumping") String action;
    @Option(names = "--steps", defaultValue = "300", description = "ADI training steps") int steps;
    @Option(names = "--model", description = "mini-world model folder (default: the embedded one)") Path model;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast("--steps", steps, 1);
        Flags.oneOf("--action", action, List.of("handstand", "jumping"));
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UserException("--out " + out + ": exists and is not a folder");
        long t0 = System.nanoTime();
        Path folder = Flags.miniModel(model);
        MiniBenchConfig standard = MiniBenchConfig.standard();
        MiniBenchConfig config = new MiniBenchConfig(List.of(Action.valueOf(action.toUpperCase(Locale.ROOT))),
                standard.exemplars(), standard.exemplarSubjects(), List.of(Subject.values()), 2, List.of("adi"),
                standard.beta(), List.of(), steps, standard.learningRate(), standard.sampleSteps(), standard.guidance(),
                standard.seed());
        System.err.println("adi demo: ADI on '" + action + "' with the mini-world model " + folder);
        Judge judge = Judge.bundled();
        MiniBench.Results r = new MiniBench(config, folder, out, judge, System.err::println,
                new TrainProgress(System.err)).run();
        MiniBenchReport.write(out, config, r, MiniBenchCommand.judgeSummary(judge));
        System.out.print(MiniBenchReport.markdown(config, r));
        System.out.printf(Locale.ROOT, "demo done in %.0f s: %s%n", (System.nanoTime() - t0) / 1e9,
                out.resolve(MiniBenchReport.HTML).toAbsolutePath());
        return 0;
    }
}

package dev.adi4j.cli;

import dev.adi4j.mini.bench.MiniBench;
import dev.adi4j.mini.bench.MiniBenchConfig;
import dev.adi4j.mini.bench.MiniBenchReport;
import dev.adi4j.mini.judge.Judge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code adi actionbench mini}: ActionBench-mini on the mini world, scored by the bundled judge. */
@Command(name = "mini", mixinStandardHelpOptions = true,
        description = "ActionBench-mini: every method on the mini world's held-out actions, judged; writes results.json, "
                + "results.md, report.html (rerun with the same --out to continue).")
final class MiniBenchCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "output folder") Path out;
    @Option(names = "--model", description = "mini-world model folder (default: the embedded one)") Path model;
    @Option(names = "--steps", description = "training steps per identifier run (default 200)") Integer steps;
    @Option(names = "--seeds", description = "images per method, action and subject (default 4)") Integer seeds;
    @Option(names = "--methods", split = ",", description = "subset of: text-only, ti, pplus, custom-diffusion, adi, "
            + "adi-context-only, adi-action-only, adi-union (default: all)") List<String> methods;
    @Option(names = "--no-beta-sweep", description = "skip the second table") boolean noSweep;
    @Option(names = "--quick", description = "a reduced bench (1 action, 2 subjects, 2 steps): checks the path end to end, "
            + "its numbers mean nothing") boolean quick;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UserException("--out " + out + ": exists and is not a folder");
        Path folder = Flags.miniModel(model);
        MiniBenchConfig config = quick ? MiniBenchConfig.quick() : MiniBenchConfig.standard();
        if (steps != null) {
            Flags.atLeast("--steps", steps, 1);
            config = config.withSteps(steps);
        }
        if (seeds != null) {
            Flags.atLeast("--seeds", seeds, 1);
            config = config.withSeeds(seeds);
        }
        if (methods != null || noSweep) {
            List<String> m = methods == null ? config.methods() : methods;
            for (String name : m) Flags.oneOf("--methods", name, MiniBenchConfig.ALL_METHODS);
            config = config.withMethods(m, noSweep ? List.of() : config.betaSweep());
        }
        Judge judge = Judge.bundled();
        String judgeSummary = judgeSummary(judge);
        System.err.println("ActionBench-mini in " + out + " (model " + folder + ")");
        MiniBench.Results r = new MiniBench(config, folder, out, judge, System.err::println,
                new TrainProgress(System.err)).run();
        MiniBenchReport.write(out, config, r, judgeSummary);
        System.out.print(MiniBenchReport.markdown(config, r));
        System.out.println(out.resolve(MiniBenchReport.HTML));
        return 0;
    }

    static String judgeSummary(Judge judge) {
        var a = judge.card().accuracy();
        return String.format(java.util.Locale.ROOT, "Judge (bundled): on %d held-out renders subject %.1f%%, action %.1f%%, "
                + "both %.1f%%.", a.count(), 100 * a.subject(), 100 * a.action(), 100 * a.both());
    }
}

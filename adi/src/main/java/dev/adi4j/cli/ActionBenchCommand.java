package dev.adi4j.cli;

import dev.adi4j.actionbench.AnnotationServer;
import dev.adi4j.actionbench.BenchFile;
import dev.adi4j.actionbench.BenchIndex;
import dev.adi4j.actionbench.BenchItem;
import dev.adi4j.actionbench.BenchMerge;
import dev.adi4j.actionbench.BenchRunner;
import dev.adi4j.actionbench.Scoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code adi actionbench}: the ActionBench harness — run (sharded or not), merge, annotate, score. */
@Command(name = "actionbench", mixinStandardHelpOptions = true,
        description = "ActionBench: generate every (method, action, subject, seed) image, annotate blind in the browser, score.",
        subcommands = {ActionBenchCommand.Run.class, ActionBenchCommand.Merge.class, ActionBenchCommand.Annotate.class,
                ActionBenchCommand.Score.class, MiniBenchCommand.class})
public final class ActionBenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Train (or reuse) identifiers per action and method, generate the images, write index.json and contact sheets; resumable.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--bench", required = true, description = "bench file (JSON, format adi4j-actionbench/1)") Path bench;
        @Option(names = "--model", required = true, description = "diffusers model folder") Path model;
        @Option(names = "--out", required = true, description = "output folder (rerun with the same folder to continue)") Path out;
        @Option(names = "--shard", defaultValue = "0/1", description = "run only slice i of N (0-based), e.g. $JOB_COMPLETION_INDEX/4") String shard;

        @Override
        public Integer call() {
            BenchItem.Shard s = BenchItem.Shard.parse(shard);
            BenchFile.Loaded b = BenchFile.load(bench);
            BenchIndex index = new BenchRunner(b, model, out, System.err::println).run(s);
            System.out.println(out.resolve(BenchIndex.FILE) + " (" + index.items().size() + " images)");
            return 0;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Join shard output folders of one bench file into --out.")
    static final class Merge implements Callable<Integer> {
        @Option(names = "--out", required = true) Path out;
        @Parameters(arity = "1..*", paramLabel = "SHARD_DIR") List<Path> shards;

        @Override
        public Integer call() {
            BenchIndex index = BenchMerge.merge(out, shards, System.err::println);
            System.out.println(out.resolve(BenchIndex.FILE) + " (" + index.items().size() + " images)");
            return 0;
        }
    }

    @Command(name = "annotate", mixinStandardHelpOptions = true,
            description = "Serve the blind annotation page for an output folder (answers in OUT/annotations/NAME.json).")
    static final class Annotate implements Callable<Integer> {
        @Option(names = "--out", required = true) Path out;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: this machine only)") String host;
        @Option(names = "--port", defaultValue = "8765", description = "port (0: any free port)") int port;

        @Override
        public Integer call() throws Exception {
            Flags.atLeast("--port", port, 0);
            try (AnnotationServer server = new AnnotationServer(out, host, port)) {
                server.start();
                System.out.println("annotate at " + server.uri() + " (Ctrl-C to stop)");
                new CountDownLatch(1).await();
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Action/Subject/Total per method and action, Fleiss' kappa; writes score.md, score.json, score.html.")
    static final class Score implements Callable<Integer> {
        @Option(names = "--out", required = true) Path out;

        @Override
        public Integer call() {
            Scoring.Score s = Scoring.score(out);
            Scoring.write(out, s);
            System.out.print(Scoring.markdown(s));
            System.err.println("wrote " + out.resolve("score.md") + ", score.json, score.html");
            return 0;
        }
    }
}

package dev.adi4j.cli;

import dev.adi4j.harness.golden.CaseResult;
import dev.adi4j.harness.golden.GoldenRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code adi golden CASES.json...}: runs every case of each golden-case index; exit 1 on any FAIL. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = "Run every case of golden-case indexes (adi4j-golden-cases/1) and print one line per output.")
public final class GoldenCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CASES.json",
            description = "index files, e.g. ../shared/fixtures/cases.json ../shared/fixtures/adi_cases.json")
    List<Path> indexes;

    @Override
    public Integer call() {
        List<CaseResult> results = new java.util.ArrayList<>();
        for (Path index : indexes) {
            results.addAll(GoldenRunner.standard().run(index, r -> {
                System.out.println(r.line());
                System.out.flush();
            }));
        }
        long failed = results.stream().filter(r -> !r.pass()).count();
        System.out.println((results.size() - failed) + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}

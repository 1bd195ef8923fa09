package dev.adi4j.tests;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.harness.golden.CaseResult;
import dev.adi4j.harness.golden.GoldenIndex;
import dev.adi4j.harness.golden.GoldenRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the shared golden-case indexes (engine: cases.json, method: adi_cases.json) through the same runner as {@code adi golden}: one test per case, each
 * passing only when every listed output is within the case's tolerance.
 */
class SharedGoldenCasesTest {
    @TestFactory
    Stream<DynamicTest> everyEngineCasePasses() {
        return everyCaseOf(Shared.fixture("cases.json"));
    }

    @TestFactory
    Stream<DynamicTest> everyMethodCasePasses() {
        return everyCaseOf(Shared.fixture("adi_cases.json"));
    }

    private static Stream<DynamicTest> everyCaseOf(Path index) {
        assertTrue(Files.isRegularFile(index), "golden index missing at " + index.toAbsolutePath());
        Map<String, List<CaseResult>> byCase = new LinkedHashMap<>();
        GoldenRunner.standard().run(index, r -> {
            System.out.println(r.line());
            byCase.computeIfAbsent(r.caseName(), k -> new ArrayList<>()).add(r);
        });
        int listed = GoldenIndex.read(index).cases().size();
        assertTrue(byCase.size() == listed, "expected all " + listed + " cases of the index, got " + byCase.keySet());
        return byCase.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<CaseResult> failed = e.getValue().stream().filter(r -> !r.pass()).toList();
            if (!failed.isEmpty()) {
                fail(String.join("\n", failed.stream().map(CaseResult::line).toList()));
            }
        }));
    }
}

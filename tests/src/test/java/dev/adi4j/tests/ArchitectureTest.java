package dev.adi4j.tests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout docs/architecture.md promises, read from the main sources: dependencies point one way
 * (core <- diffusion <- weights-converter <- adi), only dev.adi4j.cli imports picocli, and no two packages depend on
 * each other, directly or through others. A reference is any import or fully qualified name of a project class.
 */
class ArchitectureTest {
    /** Module -> the package prefixes its main code may use. */
    static final Map<String, List<String>> ALLOWED = Map.of(
            "core", List.of("dev.adi4j.core"),
            "diffusion", List.of("dev.adi4j.core", "dev.adi4j.diffusion"),
            "weights-converter", List.of("dev.adi4j.core", "dev.adi4j.diffusion", "dev.adi4j.convert"),
            "adi", List.of("dev.adi4j."));
    static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.adi4j(?:\\.[a-z]\\w*)+)\\.[A-Z]");

    record Source(String module, Path file, String pkg, String text) {
    }

    static final List<Source> SOURCES = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isDirectory(root.resolve("core"))) root = root.getParent();
        for (String module : ALLOWED.keySet()) {
            Path main = root.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(main), "no sources at " + main);
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f);
                    Matcher m = PACKAGE.matcher(text);
                    assertTrue(m.find(), f + " has no package line");
                    SOURCES.add(new Source(module, f, m.group(1), text));
                }
            }
        }
        assertTrue(SOURCES.size() > 100, "found only " + SOURCES.size() + " sources");
    }

    static Set<String> references(Source s) {
        Set<String> refs = new TreeSet<>();
        Matcher m = REFERENCE.matcher(s.text());
        while (m.find()) refs.add(m.group(1));
        refs.remove(s.pkg());
        return refs;
    }

    @Test
    void dependenciesPointOneWay() {
        List<String> violations = new ArrayList<>();
        for (Source s : SOURCES) {
            for (String ref : references(s)) {
                if (ALLOWED.get(s.module()).stream().noneMatch(ref::startsWith)) {
                    violations.add(s.file().getFileName() + " (" + s.module() + ") uses " + ref);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyTheCommandLineImportsPicocli() {
        List<String> violations = SOURCES.stream()
                .filter(s -> s.text().contains("import picocli.") && !s.pkg().equals("dev.adi4j.cli"))
                .map(s -> s.pkg() + "." + s.file().getFileName()).toList();
        assertEquals(List.of(), violations);
    }

    @Test
    void theNetworksLayerHoldsNoHarness() {
        assertFalse(SOURCES.stream().anyMatch(s -> s.module().equals("diffusion")
                && (s.pkg().contains(".golden") || s.pkg().contains(".bench"))), "golden runner or benches in diffusion");
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : SOURCES) graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).addAll(references(s));
        List<Set<String>> cycles = new Tarjan(graph).cycles();
        assertEquals(List.of(), cycles, "packages that depend on each other");
    }

    /** Strongly connected components with more than one package (Tarjan's algorithm). */
    static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> cycles = new ArrayList<>();
        private int next;

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> cycles() {
            for (String v : graph.keySet()) if (!index.containsKey(v)) visit(v);
            return cycles;
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next++);
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!graph.containsKey(w)) continue;
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) cycles.add(component);
            }
        }
    }
}

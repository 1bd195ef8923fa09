package dev.adi4j.convert;

import dev.adi4j.testsupport.Shared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/** Locates the shared fixtures (fails, never skips, when missing) and parses the manifest TSVs. */
final class Fixtures {
    private Fixtures() {
    }

    static Path shared() {
        return Shared.root();
    }

    static Path fixtures() { return shared().resolve("fixtures"); }

    static Path manifest(String name) { return fixtures().resolve("manifests").resolve(name); }

    static Path tinySd() { return fixtures().resolve("tiny-sd"); }

    static Path golden(String name) { return fixtures().resolve("golden").resolve(name); }

    /** Rows of a TSV without its header line. */
    static List<String[]> rows(Path tsv) {
        try {
            List<String> lines = Files.readAllLines(tsv);
            List<String[]> rows = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) if (!l.isBlank()) rows.add(l.split("\t", -1));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** key -> shape of a {@code key<TAB>shape<TAB>dtype} manifest. */
    static Map<String, long[]> shapes(Path tsv) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String[] r : rows(tsv)) m.put(r[0], parseShape(r[1]));
        return m;
    }

    static long[] parseShape(String s) {
        String inner = s.trim().substring(1, s.trim().length() - 1).trim();
        if (inner.isEmpty()) return new long[0];
        String[] parts = inner.split(",");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) shape[i] = Long.parseLong(parts[i].trim());
        return shape;
    }
}

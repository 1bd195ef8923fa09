package dev.adi4j.harness.golden;

import dev.adi4j.core.safetensors.SafetensorsFormatException;
import dev.adi4j.core.safetensors.SafetensorsReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a golden kind needs from its case, checked before the case runs so that a bad index entry is one FAIL line
 * naming the field instead of an exception deep in a handler: the fields that must be present, whether the case's
 * file is a safetensors file whose tensors the case's {@code inputs}/{@code outputs} name, and (when the outputs
 * are not tensor names) the outputs the kind knows.
 */
public record KindSpec(Set<Field> required, boolean tensorFile, Set<String> knownOutputs) {

    /** The optional fields of a case a kind can require ({@code name}, {@code kind}, {@code file} always are). */
    public enum Field {
        MODEL("model", c -> c.model() != null),
        CONFIGS("configs", c -> c.configs() != null),
        SCHEDULER("scheduler", c -> c.scheduler() != null && !c.scheduler().isBlank()),
        OUTPUTS("outputs", c -> !c.outputs().isEmpty()),
        TOLERANCE("tolerance", c -> c.tolerance() != null),
        PARAMS("params", c -> !c.params().isEmpty());

        private final String json;
        private final Predicate<GoldenCase> present;

        Field(String json, Predicate<GoldenCase> present) {
            this.json = json;
            this.present = present;
        }

        /** The field's name in the index file. */
        public String json() {
            return json;
        }
    }

    /** No requirements beyond name, kind and an existing file. */
    public static final KindSpec ANY = new KindSpec(EnumSet.noneOf(Field.class), false, Set.of());

    public KindSpec {
        required = Collections.unmodifiableSet(required.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(required));
        knownOutputs = Set.copyOf(knownOutputs);
    }

    /** A kind whose file is a safetensors file holding every input and output the case names. */
    public static KindSpec tensors(Field... required) {
        return new KindSpec(Set.of(required), true, Set.of());
    }

    /** A kind whose file is not a tensor file and whose outputs come from {@code knownOutputs}. */
    public static KindSpec named(Collection<String> knownOutputs, Field... required) {
        return new KindSpec(Set.of(required), false, Set.copyOf(knownOutputs));
    }

    /**
     * Everything wrong with case {@code c} for this kind, one entry per problem, each naming the field; empty when
     * the case can run. Reads at most the header of the case's file.
     */
    public List<String> problems(GoldenCase c, Path root) {
        List<String> problems = new ArrayList<>();
        for (Field f : required) {
            if (!f.present.test(c)) {
                problems.add("field '" + f.json + "' is missing (kind " + c.kind() + " needs "
                        + required.stream().map(Field::json).collect(Collectors.joining(", ")) + ")");
            }
        }
        if (c.tolerance() != null && !(c.tolerance() >= 0 && Double.isFinite(c.tolerance()))) {
            problems.add("field 'tolerance': expected a finite number >= 0, got " + c.tolerance());
        }
        if (c.model() != null) folder(problems, "model", root.resolve(c.model()));
        if (c.vocab() != null) folder(problems, "vocab", root.resolve(c.vocab()));
        if (c.configs() != null) regularFile(problems, "configs", root.resolve(c.configs()));
        Path file = root.resolve(c.file());
        if (regularFile(problems, "file", file) && tensorFile) tensorNames(problems, c, file);
        if (!knownOutputs.isEmpty()) {
            for (String o : c.outputs()) {
                if (!knownOutputs.contains(o)) {
                    problems.add("field 'outputs': '" + o + "' is not an output of kind " + c.kind() + " (known: "
                            + String.join(", ", knownOutputs.stream().sorted().toList()) + ")");
                }
            }
        }
        return problems;
    }

    private static void tensorNames(List<String> problems, GoldenCase c, Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            missing(problems, "inputs", c.inputs(), r, file);
            missing(problems, "outputs", c.outputs(), r, file);
        } catch (SafetensorsFormatException e) {
            problems.add("field 'file': " + e.getMessage());
        }
    }

    private static void missing(List<String> problems, String field, List<String> names, SafetensorsReader r,
                                Path file) {
        List<String> absent = names.stream().filter(n -> !r.contains(n)).toList();
        if (!absent.isEmpty()) {
            problems.add("field '" + field + "': no tensor " + absent.stream().map(n -> "'" + n + "'")
                    .collect(Collectors.joining(", ")) + " in " + file);
        }
    }

    private static void folder(List<String> problems, String field, Path p) {
        if (!Files.isDirectory(p)) problems.add("field '" + field + "': no folder " + p);
    }

    private static boolean regularFile(List<String> problems, String field, Path p) {
        if (Files.isRegularFile(p)) return true;
        problems.add("field '" + field + "': " + (Files.exists(p) ? "not a regular file: " : "no such file: ") + p);
        return false;
    }
}

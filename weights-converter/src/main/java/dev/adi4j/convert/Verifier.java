package dev.adi4j.convert;

import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.TokenizerFiles;
import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --verify}: checks a model folder against what adi4j's networks declare for its configs (names,
 * shapes), scans every tensor for NaN/Inf and checks dtypes. Every problem is reported, not just the first.
 */
public final class Verifier {
    private static final Set<DType> FLOAT_TYPES = Set.of(DType.F32, DType.F16, DType.BF16);

    /** One row of the table: a component and what was found. */
    public record Row(String component, int tensors, long values, String dtypes, int problems, String note) {
    }

    /** Result: the table rows and every problem (each naming file and key). */
    public record Report(List<Row> rows, List<String> problems) {
        public boolean ok() { return problems.isEmpty(); }

        public void print(PrintStream out) {
            out.printf("%-14s %8s %14s %-10s %8s  %s%n", "component", "tensors", "values", "dtypes", "problems", "note");
            for (Row r : rows) {
                out.printf("%-14s %8d %,14d %-10s %8d  %s%n", r.component, r.tensors, r.values, r.dtypes, r.problems, r.note);
            }
            for (String p : problems) out.println("PROBLEM " + p);
            out.println(ok() ? "OK" : problems.size() + " problem(s)");
        }
    }

    private Verifier() {
    }

    /** Verifies {@code folder}; never throws for problems in the folder, they are all in the report. */
    public static Report verify(Path folder) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ModelConfigs configs = null;
        try {
            configs = ModelConfigs.fromFolder(folder);
        } catch (ConversionException e) {
            problems.add(e.getMessage());
        }
        for (String f : new String[]{ModelFolder.MODEL_INDEX, ModelFolder.SCHEDULER + "/" + ModelFolder.SCHEDULER_CONFIG,
                ModelFolder.TOKENIZER + "/" + TokenizerFiles.VOCAB, ModelFolder.TOKENIZER + "/" + TokenizerFiles.MERGES}) {
            if (!Files.isRegularFile(folder.resolve(f))) problems.add(folder.resolve(f) + ": missing");
        }
        Path sched = folder.resolve(ModelFolder.SCHEDULER).resolve(ModelFolder.SCHEDULER_CONFIG);
        if (Files.isRegularFile(sched)) {
            try {
                SchedulerCheck.problem(ModelConfigs.readObject(sched)).ifPresent(p -> problems.add(sched + ": " + p));
            } catch (ConversionException e) {
                problems.add(e.getMessage());
            }
        }
        for (Component c : Component.values()) {
            Path file = folder.resolve(c.folder()).resolve(c.weightsFile());
            List<String> found = new ArrayList<>();
            Row row = verifyComponent(c, file, configs, found);
            rows.add(row);
            for (String p : found) problems.add(file + ": " + p);
        }
        return new Report(rows, problems);
    }

    private static Row verifyComponent(Component c, Path file, ModelConfigs configs, List<String> problems) {
        MappedInputs mapped = new MappedInputs();
        if (!Files.isRegularFile(file)) {
            problems.add("weights file missing");
            return new Row(c.folder(), 0, 0, "-", 1, "missing");
        }
        try (SafetensorsReader r = CheckpointFiles.open(file)) {
            Map<String, long[]> actual = new LinkedHashMap<>();
            Set<DType> dtypes = new java.util.TreeSet<>();
            long values = 0;
            for (TensorInfo t : r.infos().values()) {
                actual.put(t.name(), t.shape());
                dtypes.add(t.dtype());
                values += t.numel();
                boolean idBuffer = ExpectedParameters.optionalExtra(c, t.name());
                if (idBuffer ? t.dtype() != DType.I64 && !FLOAT_TYPES.contains(t.dtype()) : !FLOAT_TYPES.contains(t.dtype())) {
                    problems.add("'" + t.name() + "': dtype " + t.dtype() + " (expected F32, F16 or BF16)");
                } else if (!idBuffer) {
                    scanFinite(r, t, problems);
                    mapped.read(t.byteLength());
                }
            }
            String note = "no config: names/shapes not checked";
            if (configs != null) {
                problems.addAll(ExpectedParameters.compare(c, ExpectedParameters.of(c, configs), actual));
                note = "names/shapes vs network";
            }
            return new Row(c.folder(), actual.size(), values, String.join(",", dtypes.stream().map(Enum::name).toList()),
                    problems.size(), note);
        } catch (ConversionException e) {
            problems.add(e.getMessage());
            return new Row(c.folder(), 0, 0, "-", problems.size(), "unreadable");
        }
    }

    private static void scanFinite(SafetensorsReader r, TensorInfo t, List<String> problems) {
        INDArray a = r.loadFloat(t.name());
        try {
            float[] v = a.data().asFloat();
            long nan = 0, inf = 0;
            for (float x : v) {
                if (Float.isNaN(x)) nan++;
                else if (Float.isInfinite(x)) inf++;
            }
            if (nan + inf > 0) problems.add("'" + t.name() + "': " + nan + " NaN and " + inf + " Inf values");
        } finally {
            if (a.closeable()) a.close();
        }
    }
}

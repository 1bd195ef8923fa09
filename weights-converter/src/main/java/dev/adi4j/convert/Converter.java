package dev.adi4j.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Converts a diffusers folder or an SD 2.x single-file checkpoint into the model folder adi4j loads
 * (diffusers layout). Everything is checked before anything is written; the folder is written beside the
 * target under a temporary name and renamed into place at the end, tensor data streamed one tensor at a time.
 */
public final class Converter {
    /** What to convert. {@code config}/{@code tokenizer}/{@code dtype} may be null (see {@link SourcePlan#open}). */
    public record Options(Path from, Path to, TargetDType dtype, String config, Path tokenizer, boolean force) {
    }

    /** Called after each tensor is written. */
    public interface Progress {
        void tensor(int index, int total, Component component, String name, long bytesSoFar);

        Progress NONE = (i, n, c, name, b) -> { };
    }

    /** What was written. */
    public record Summary(Path folder, int tensors, long bytes, Map<String, String> dropped, Verifier.Report report) {
    }

    /** Runs the conversion; throws {@link ConversionException} (input problems) before touching the target. */
    public Summary convert(Options o, Progress progress) {
        Path to = o.to().toAbsolutePath().normalize();
        if (Files.exists(to) && !o.force()) {
            throw new ConversionException(to, null, "target already exists; pass --force to replace it");
        }
        try (SourcePlan plan = SourcePlan.open(o.from(), o.config(), o.tokenizer())) {
            Path tmp = createTemp(to);
            try {
                long[] bytes = {0};
                int total = Stream.of(Component.values()).mapToInt(c -> plan.tensors(c).size()).sum();
                int[] done = {0};
                writeConfigs(plan, tmp);
                TokenizerWriter.write(plan.tokenizer(), tmp.resolve(TokenizerWriter.FOLDER));
                for (Component c : Component.values()) {
                    writeComponent(plan, c, o.dtype(), tmp.resolve(c.folder()).resolve(c.weightsFile()), (name, n) -> {
                        bytes[0] += n;
                        progress.tensor(++done[0], total, c, name, bytes[0]);
                    });
                }
                // verified before the rename: a folder with NaN weights or bad configs never takes the target's place
                Verifier.Report report = Verifier.verify(tmp);
                if (!report.ok()) {
                    List<String> problems = report.problems().stream().map(p -> p.replace(tmp.toString(), to.toString())).toList();
                    throw new ConversionException(to, problems);
                }
                replace(tmp, to);
                return new Summary(to, total, bytes[0], plan.dropped(), report);
            } catch (RuntimeException | Error e) {
                deleteRecursively(tmp);
                throw e;
            }
        }
    }

    private interface Written {
        void accept(String name, long bytes);
    }

    private final MappedInputs mapped = new MappedInputs();

    private void writeComponent(SourcePlan plan, Component c, TargetDType dtype, Path file, Written written) {
        SafetensorsWriter writer = new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("converted_by", "adi4j weights-converter from " + plan.input().getFileName());
        INDArray[] previous = new INDArray[2];
        for (PlannedTensor p : plan.tensors(c)) {
            SafetensorsReader reader = plan.reader(c, p.source());
            DType stored = TargetDType.resolve(dtype, reader.info(p.source()).dtype());
            // The writer calls the suppliers one after another while streaming: the previous tensor is done.
            writer.addLazy(p.target(), p.shape(), stored, () -> {
                release(previous);
                long bytes = p.numel() * stored.bytes();
                written.accept(p.target(), bytes);
                mapped.read(bytes);
                previous[0] = reader.loadFloat(p.source());
                INDArray out = p.transform().apply(previous[0]).reshape(p.shape());
                if (out != previous[0]) previous[1] = out;
                return out;
            });
        }
        try {
            Files.createDirectories(file.getParent());
            writer.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        } finally {
            release(previous);
        }
    }

    /** Frees the previous tensor's off-heap memory now rather than at some later GC. */
    private static void release(INDArray[] arrays) {
        for (int k = 0; k < arrays.length; k++) {
            if (arrays[k] != null && arrays[k].closeable()) arrays[k].close();
            arrays[k] = null;
        }
    }

    private static void writeConfigs(SourcePlan plan, Path tmp) {
        ModelConfigs configs = plan.configs();
        for (Component c : Component.values()) {
            writeJson(tmp.resolve(c.folder()).resolve(c.configFile()), configs.json(c));
        }
        writeJson(tmp.resolve(ModelFolder.SCHEDULER).resolve(ModelFolder.SCHEDULER_CONFIG), configs.scheduler());
        try {
            Path index = plan.modelIndex();
            Path out = tmp.resolve(ModelFolder.MODEL_INDEX);
            if (index != null) Files.copy(index, out);
            else Files.writeString(out, ModelConfigs.resourceText(ModelFolder.MODEL_INDEX), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJson(Path file, ObjectNode json) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A hidden folder beside the target named after this process ({@code .NAME.converting-PID-RANDOM}); stale ones
     * left by a killed conversion (their process is gone) are deleted first.
     */
    private static Path createTemp(Path to) {
        try {
            Path parent = to.getParent();
            Files.createDirectories(parent);
            String prefix = "." + to.getFileName() + ".converting-";
            deleteStale(parent, prefix);
            return Files.createTempDirectory(parent, prefix + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new ConversionException(to, null, "cannot create a temporary folder beside the target: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code prefix}PID-* folders whose process no longer runs (or whose name holds no pid). */
    static void deleteStale(Path parent, String prefix) throws IOException {
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid = -1;
                try {
                    pid = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
                } catch (NumberFormatException ignored) {
                    // a name without a pid (written before pids were recorded): treated as stale
                }
                boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) deleteRecursively(p);
            }
        }
    }

    /** Renames {@code tmp} to {@code to}; an existing target (--force) is moved aside first and deleted after. */
    private static void replace(Path tmp, Path to) {
        try {
            Path old = null;
            if (Files.exists(to)) {
                old = to.resolveSibling("." + to.getFileName() + ".replaced-" + System.nanoTime());
                Files.move(to, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteRecursively(old);
        } catch (IOException e) {
            throw new ConversionException(to, null, "cannot move the converted folder into place: " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // best effort: a leftover temp folder is named clearly and harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}

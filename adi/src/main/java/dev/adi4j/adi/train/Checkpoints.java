package dev.adi4j.adi.train;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints of a run: {@code checkpoints/checkpoint-<step>/state.safetensors}, each made complete in a
 * temporary folder and renamed into place in one atomic step, so a process killed at any moment leaves either the
 * previous checkpoints or the new one, never half of it. Leftover temporary folders are removed on the next save.
 */
public final class Checkpoints {
    public static final String PREFIX = "checkpoint-";
    public static final String STATE = "state.safetensors";
    private static final String TMP = ".tmp-";

    private final Path dir;

    /** One complete checkpoint. */
    public record Checkpoint(int step, Path dir) {
        public Path state() { return dir.resolve(STATE); }
    }

    /** What a checkpoint holds: named tensors (copies, independent of the file) and string metadata. */
    public record State(Map<String, INDArray> tensors, Map<String, String> metadata) {
    }

    public Checkpoints(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    public Path dir() { return dir; }

    /** Saves the state of {@code step}, then keeps only the newest {@code totalLimit} checkpoints (0 = all). */
    public Checkpoint save(int step, Map<String, INDArray> tensors, Map<String, String> metadata, int totalLimit) {
        try {
            Files.createDirectories(dir);
            removeTemporaries();
            Path tmp = Files.createTempDirectory(dir, TMP + PREFIX + step + "-");
            SafetensorsWriter w = new SafetensorsWriter().metadata(metadata).metadata("step", Integer.toString(step));
            tensors.forEach(w::add);
            w.write(tmp.resolve(STATE));
            Path target = dir.resolve(PREFIX + step);
            if (Files.exists(target)) deleteTree(target); // a resumed run re-saving a step it had already passed
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (totalLimit > 0) {
                List<Checkpoint> all = list();
                for (int i = 0; i < all.size() - totalLimit; i++) deleteTree(all.get(i).dir());
            }
            return new Checkpoint(step, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + step + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Complete checkpoints, oldest first. */
    public List<Checkpoint> list() {
        if (!Files.isDirectory(dir)) return List.of();
        List<Checkpoint> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(PREFIX) || !Files.isRegularFile(p.resolve(STATE))) continue;
                try {
                    out.add(new Checkpoint(Integer.parseInt(name.substring(PREFIX.length())), p));
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Checkpoint::step));
        return out;
    }

    public Optional<Checkpoint> latest() {
        List<Checkpoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** {@code latest} (empty when the run has none yet) or a checkpoint folder; anything else is a clear error. */
    public Optional<Checkpoint> resolve(String spec) {
        if ("latest".equals(spec)) return latest();
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p.resolve(STATE))) {
            throw new IllegalArgumentException("--resume-from-checkpoint " + spec + ": not a checkpoint folder (expected "
                    + p.resolve(STATE) + "; use 'latest' for the newest in " + dir + ")");
        }
        String name = p.getFileName().toString();
        int step;
        try {
            step = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--resume-from-checkpoint " + spec + ": folder name must end in -<step>");
        }
        return Optional.of(new Checkpoint(step, p));
    }

    /** Reads a checkpoint's tensors (copied out of the mapped file) and metadata. */
    public static State load(Checkpoint c) {
        try (SafetensorsReader r = SafetensorsReader.open(c.state())) {
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (String name : r.names()) tensors.put(name, r.loadFloat(name).dup());
            return new State(tensors, r.metadata());
        }
    }

    private void removeTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP)).toList()) deleteTree(p);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

package dev.adi4j.convert;

import dev.adi4j.core.io.ModelLoadException;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.WeightFiles;
import dev.adi4j.core.safetensors.SafetensorsFormatException;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adi inspect}: what a safetensors file holds (fully validated by the reader), or what a model folder
 * resolves to per component and whether each network's weights match its config. Nothing is built: expected
 * names and shapes come from the networks' {@code declaredParameters(config)}.
 */
public final class Inspector {
    /** One tensor: its header entry and, when asked for, its NaN/Inf counts (-1 when not scanned or not float). */
    public record Tensor(String name, String dtype, long[] shape, long begin, long end, long nan, long inf) {
    }

    /** A validated safetensors file. */
    public record FileReport(String file, long fileBytes, long dataBytes, long values, Map<String, String> metadata,
                             List<Tensor> tensors) {
        /** Tensors holding at least one NaN or Inf (only known after a --stats scan). */
        public long nonFiniteTensors() {
            return tensors.stream().filter(t -> t.nan() > 0 || t.inf() > 0).count();
        }
    }

    /** What a model folder resolves for one component, and every problem found with it. */
    public record ComponentReport(String component, String config, List<String> weights, String variant,
                                  boolean sharded, String note, int tensors, long values, List<String> problems) {
    }

    /** A model folder: one report per component (networks, scheduler, tokenizer). */
    public record FolderReport(String folder, List<ComponentReport> components) {
        public List<String> problems() {
            List<String> all = new ArrayList<>();
            for (ComponentReport c : components) all.addAll(c.problems());
            return all;
        }

        public boolean ok() { return problems().isEmpty(); }
    }

    private Inspector() {
    }

    /**
     * Validates one safetensors file completely (header, exact coverage of the data section) and lists it;
     * with {@code stats} every float tensor is read and its NaN/Inf counted.
     *
     * @throws SafetensorsFormatException naming the file and the problem
     */
    public static FileReport inspectFile(Path file, boolean stats) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            List<Tensor> tensors = new ArrayList<>();
            long values = 0;
            long data = 0;
            for (TensorInfo t : r.infos().values()) {
                long nan = -1;
                long inf = -1;
                if (stats && t.dtype().isFloatingPoint()) {
                    long[] counts = nonFinite(r, t);
                    nan = counts[0];
                    inf = counts[1];
                }
                tensors.add(new Tensor(t.name(), t.dtype().name(), t.shape(), t.begin(), t.end(), nan, inf));
                values += t.numel();
                data = Math.max(data, t.end());
            }
            return new FileReport(file.toString(), size(file), data, values, r.metadata(), tensors);
        }
    }

    /**
     * Resolves a model folder as {@link ModelFolder} does and checks every network's weights against its
     * config (names and shapes; NaN/Inf too with {@code stats}). Never throws for problems in the folder.
     */
    public static FolderReport inspectFolder(Path root, boolean stats) {
        ModelFolder folder = ModelFolder.open(root);
        List<ComponentReport> out = new ArrayList<>();
        for (Component c : Component.values()) out.add(network(folder, c, stats));
        out.add(scheduler(folder));
        out.add(tokenizer(folder));
        return new FolderReport(root.toString(), out);
    }

    private static ComponentReport network(ModelFolder folder, Component c, boolean stats) {
        List<String> problems = new ArrayList<>();
        String config = folder.root().resolve(c.folder()).resolve(c.configFile()).toString();
        List<ParamSpec> declared = null;
        try {
            config = folder.configFile(c).toString();
            declared = switch (c) {
                case UNET -> UNet.declaredParameters(folder.unet());
                case VAE -> AutoencoderKL.declaredParameters(folder.vae());
                case TEXT_ENCODER -> ClipTextEncoder.declaredParameters(folder.textEncoder());
            };
        } catch (ModelLoadException e) {
            problems.add(e.getMessage());
        } catch (RuntimeException e) {
            // a config that parses but that the network cannot be declared for (e.g. mismatched list lengths)
            problems.add(config + ": the " + c.folder() + " network cannot be built from this config: " + e.getMessage());
        }
        WeightFiles files;
        try {
            files = folder.weights(c);
        } catch (ModelLoadException e) {
            problems.add(e.getMessage());
            return new ComponentReport(c.folder(), config, List.of(), null, false, null, 0, 0, problems);
        }
        Map<String, long[]> actual = new LinkedHashMap<>();
        long values = 0;
        for (Path f : files.files()) {
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                for (TensorInfo t : r.infos().values()) {
                    if (actual.put(t.name(), t.shape()) != null) {
                        problems.add(f + ": '" + t.name() + "' is also in another shard");
                    }
                    values += t.numel();
                    boolean weight = !ExpectedParameters.optionalExtra(c, t.name());
                    if (weight && !t.dtype().isFloatingPoint()) {
                        problems.add(f + ": '" + t.name() + "': dtype " + t.dtype() + ", a network weight must be a float type");
                    } else if (weight && stats) {
                        long[] n = nonFinite(r, t);
                        if (n[0] + n[1] > 0) {
                            problems.add(f + ": '" + t.name() + "': " + n[0] + " NaN and " + n[1] + " Inf values");
                        }
                    }
                }
            } catch (SafetensorsFormatException e) {
                problems.add(e.getMessage());
            }
        }
        if (declared != null) {
            Map<String, long[]> expected = new LinkedHashMap<>();
            for (ParamSpec s : declared) expected.put(s.name(), s.shape());
            String where = files.files().size() == 1 ? files.files().get(0).toString()
                    : files.files().get(0).getParent().toString();
            for (String p : ExpectedParameters.compare(c, expected, actual)) problems.add(where + ": " + p);
        }
        return new ComponentReport(c.folder(), config, files.files().stream().map(Path::toString).toList(),
                files.variant().toString(), files.sharded(), files.note(), actual.size(), values, problems);
    }

    private static ComponentReport scheduler(ModelFolder folder) {
        Path config = folder.root().resolve(ModelFolder.SCHEDULER).resolve(ModelFolder.SCHEDULER_CONFIG);
        List<String> problems = new ArrayList<>();
        try {
            folder.scheduler();
        } catch (ModelLoadException e) {
            problems.add(e.getMessage());
        }
        return new ComponentReport(ModelFolder.SCHEDULER, config.toString(), List.of(), null, false, null, 0, 0, problems);
    }

    private static ComponentReport tokenizer(ModelFolder folder) {
        List<String> problems = new ArrayList<>();
        String where = folder.root().resolve(ModelFolder.TOKENIZER).toString();
        try {
            where = folder.tokenizer().folder().toString();
        } catch (ModelLoadException e) {
            problems.add(e.getMessage());
        }
        return new ComponentReport(ModelFolder.TOKENIZER, where, List.of(), null, false, null, 0, 0, problems);
    }

    /** {NaN count, Inf count} of one float tensor (one tensor is in memory at a time). */
    private static long[] nonFinite(SafetensorsReader r, TensorInfo t) {
        if (t.numel() == 0) return new long[]{0, 0};
        INDArray a = r.loadFloat(t.name());
        try {
            long nan = 0;
            long inf = 0;
            for (float x : a.data().asFloat()) {
                if (Float.isNaN(x)) nan++;
                else if (Float.isInfinite(x)) inf++;
            }
            return new long[]{nan, inf};
        } finally {
            if (a.closeable()) a.close();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

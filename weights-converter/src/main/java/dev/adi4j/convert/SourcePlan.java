package dev.adi4j.convert;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An opened input (diffusers folder or single-file checkpoint) with its plan: the output tensors of every
 * component, the readers they come from, the configs and the tokenizer source. Checked against the networks'
 * declared parameters before anything is written.
 */
public final class SourcePlan implements AutoCloseable {
    private final Path input;
    private final ModelConfigs configs;
    private final Map<Component, List<PlannedTensor>> tensors;
    private final Map<Component, SafetensorsReader> readers;
    private final Map<String, String> dropped;
    private final Path tokenizer;

    private SourcePlan(Path input, ModelConfigs configs, Map<Component, List<PlannedTensor>> tensors,
                       Map<Component, SafetensorsReader> readers, Map<String, String> dropped, Path tokenizer) {
        this.input = input;
        this.configs = configs;
        this.tensors = tensors;
        this.readers = readers;
        this.dropped = dropped;
        this.tokenizer = tokenizer;
    }

    /**
     * Opens {@code input} and plans its conversion.
     *
     * @param config    null (infer), {@code sd21}, {@code sd21-base} or a folder with unet/vae/text_encoder configs
     * @param tokenizer null (the input's or the config folder's tokenizer/), an HF tokenizer folder or a BPE .gz
     */
    public static SourcePlan open(Path input, String config, Path tokenizer) {
        CheckpointFiles.refusePickle(input);
        if (Files.isDirectory(input)) return diffusersFolder(input, config, tokenizer);
        if (!Files.exists(input)) throw new ConversionException(input, null, "input not found");
        if (!input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            throw new ConversionException(input, null, "not a .safetensors file or a diffusers model folder");
        }
        return singleFile(input, config, tokenizer);
    }

    private static SourcePlan singleFile(Path file, String config, Path tokenizer) {
        SafetensorsReader reader = CheckpointFiles.open(file);
        try {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (TensorInfo t : reader.infos().values()) shapes.put(t.name(), t.shape());
            if (!SingleFileLayout.looksLikeSingleFile(shapes.keySet())) {
                throw new ConversionException(file, null, "no '" + UnetKeys.PREFIX + "*' keys: not an SD single-file checkpoint");
            }
            ModelConfigs configs = config != null ? resolveConfig(config) : inferConfig(file);
            SingleFileLayout.Plan plan = SingleFileLayout.planCollecting(shapes, configs.geometry());
            Map<Component, SafetensorsReader> readers = new EnumMap<>(Component.class);
            for (Component c : Component.values()) readers.put(c, reader);
            SourcePlan p = new SourcePlan(file, configs, plan.tensors(), readers, plan.dropped(),
                    tokenizerSource(tokenizer, file, config));
            p.check(file, plan.problems());
            return p;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static SourcePlan diffusersFolder(Path folder, String config, Path tokenizer) {
        if (!Files.isDirectory(folder.resolve(Component.UNET.folder()))) {
            throw new ConversionException(folder, null, "not a diffusers model folder (no unet/ sub-folder)");
        }
        ModelConfigs configs = config != null ? resolveConfig(config) : ModelConfigs.fromFolder(folder);
        Map<Component, List<PlannedTensor>> tensors = new EnumMap<>(Component.class);
        Map<Component, SafetensorsReader> readers = new EnumMap<>(Component.class);
        try {
            for (Component c : Component.values()) {
                SafetensorsReader r = CheckpointFiles.open(weightsOf(folder, c));
                readers.put(c, r);
                List<PlannedTensor> list = new ArrayList<>();
                for (TensorInfo t : r.infos().values()) {
                    list.add(new PlannedTensor(c, t.name(), t.shape(), t.name(), Transform.COPY));
                }
                list.sort(java.util.Comparator.comparing(PlannedTensor::target));
                tensors.put(c, List.copyOf(list));
            }
            SourcePlan p = new SourcePlan(folder, configs, tensors, readers, Map.of(),
                    tokenizerSource(tokenizer, folder, config));
            for (Component c : Component.values()) p.check(readers.get(c).file(), c);
            return p;
        } catch (RuntimeException e) {
            readers.values().forEach(SafetensorsReader::close);
            throw e;
        }
    }

    /** The weights file of a component: full precision, else the fp16 variant; pickles are refused. */
    static Path weightsOf(Path folder, Component c) {
        Path dir = folder.resolve(c.folder());
        for (String name : new String[]{c.weightsFile(), c.fp16WeightsFile()}) {
            if (Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
        }
        if (Files.exists(dir.resolve(c.pickleWeightsFile()))) CheckpointFiles.refusePickle(dir.resolve(c.pickleWeightsFile()));
        throw new ConversionException(dir, null, "no " + c.weightsFile() + " (or " + c.fp16WeightsFile() + ")");
    }

    static ModelConfigs resolveConfig(String config) {
        ModelConfigs.BuiltIn b = ModelConfigs.BuiltIn.parse(config);
        if (b != null) return ModelConfigs.builtIn(b);
        Path folder = Path.of(config);
        if (!Files.isDirectory(folder) || !ModelConfigs.isConfigFolder(folder)) {
            throw new ConversionException(folder, null, "--config must be sd21, sd21-base or a folder holding "
                    + "unet/config.json, vae/config.json and text_encoder/config.json");
        }
        return ModelConfigs.fromFolder(folder);
    }

    /** SD 2.1 (768, v-prediction) and 2.1-base (512, epsilon) have identical weights shapes: only the name tells. */
    static ModelConfigs inferConfig(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("768")) return ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21);
        if (name.contains("512") || name.contains("base")) return ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21_BASE);
        throw new ConversionException(file, null, "cannot tell from the file which model this is: pass --config sd21 "
                + "(768 px, v-prediction), --config sd21-base (512 px, epsilon) or --config FOLDER (unet/vae/text_encoder "
                + "config.json files)");
    }

    private static Path tokenizerSource(Path given, Path input, String config) {
        if (given != null) {
            if (!TokenizerFiles.isSource(given)) {
                throw new ConversionException(given, null, "--tokenizer must be a Hugging Face tokenizer folder "
                        + "(vocab.json + merges.txt) or CLIP's bpe_simple_vocab_16e6.txt.gz");
            }
            return given;
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(input)) candidates.add(input.resolve(TokenizerFiles.FOLDER));
        if (config != null && ModelConfigs.BuiltIn.parse(config) == null) candidates.add(Path.of(config).resolve(TokenizerFiles.FOLDER));
        for (Path c : candidates) if (Files.isDirectory(c) && TokenizerFiles.isSource(c)) return c;
        throw new ConversionException(input, null, "no tokenizer: pass --tokenizer with the tokenizer/ folder of "
                + "stabilityai/stable-diffusion-2-1 or open_clip's bpe_simple_vocab_16e6.txt.gz");
    }

    private void check(Path file, List<String> planProblems) {
        List<String> problems = new ArrayList<>(planProblems);
        for (Component c : Component.values()) problems.addAll(problems(c));
        if (!problems.isEmpty()) throw new ConversionException(file, problems);
    }

    private void check(Path file, Component c) {
        List<String> problems = problems(c);
        if (!problems.isEmpty()) throw new ConversionException(file, problems);
    }

    private List<String> problems(Component c) {
        var expected = ExpectedParameters.of(c, configs);
        if (expected.isEmpty()) {
            return tensors.getOrDefault(c, List.of()).isEmpty()
                    ? List.of("no " + c.folder() + " tensors in the input") : List.of();
        }
        Map<String, long[]> actual = new LinkedHashMap<>();
        for (PlannedTensor p : tensors.getOrDefault(c, List.of())) actual.put(p.target(), p.shape());
        return ExpectedParameters.compare(c, expected.get(), actual);
    }

    public Path input() { return input; }

    public ModelConfigs configs() { return configs; }

    public List<PlannedTensor> tensors(Component c) { return tensors.getOrDefault(c, List.of()); }

    public SafetensorsReader reader(Component c) { return readers.get(c); }

    /** Input keys deliberately not converted, with the reason. */
    public Map<String, String> dropped() { return Collections.unmodifiableMap(dropped); }

    public Path tokenizer() { return tokenizer; }

    /** The input's {@code model_index.json} when it has one. */
    public Path modelIndex() {
        Path p = input.resolve("model_index.json");
        return Files.isDirectory(input) && Files.isRegularFile(p) ? p : null;
    }

    @Override
    public void close() {
        Set<SafetensorsReader> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(readers.values());
        distinct.forEach(SafetensorsReader::close);
    }
}

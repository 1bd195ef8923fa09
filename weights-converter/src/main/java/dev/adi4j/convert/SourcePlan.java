package dev.adi4j.convert;

import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.WeightFiles;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An opened input (diffusers folder or single-file checkpoint) with its plan: the output tensors of every
 * component, the readers they come from, the configs and the tokenizer source. Checked against the networks'
 * declared parameters before anything is written.
 */
public final class SourcePlan implements AutoCloseable {
    private final Path input;
    private final ModelConfigs configs;
    private final Map<Component, List<PlannedTensor>> tensors;
    private final Map<Component, Map<String, SafetensorsReader>> readers;
    private final List<SafetensorsReader> opened;
    private final Map<String, String> dropped;
    private final Path tokenizer;

    private SourcePlan(Path input, ModelConfigs configs, Map<Component, List<PlannedTensor>> tensors,
                       Map<Component, Map<String, SafetensorsReader>> readers, List<SafetensorsReader> opened,
                       Map<String, String> dropped, Path tokenizer) {
        this.input = input;
        this.configs = configs;
        this.tensors = tensors;
        this.readers = readers;
        this.opened = opened;
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
            Map<Component, Map<String, SafetensorsReader>> readers = new EnumMap<>(Component.class);
            for (Component c : Component.values()) {
                Map<String, SafetensorsReader> m = new java.util.HashMap<>();
                for (String k : shapes.keySet()) m.put(k, reader);
                readers.put(c, m);
            }
            SourcePlan p = new SourcePlan(file, configs, plan.tensors(), readers, List.of(reader), plan.dropped(),
                    tokenizerSource(tokenizer, file, config));
            p.check(file, plan.problems());
            return p;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static SourcePlan diffusersFolder(Path folder, String config, Path tokenizer) {
        ModelFolder model;
        try {
            model = ModelFolder.open(folder);
        } catch (ConfigException e) {
            throw new ConversionException(folder, null, "not a usable diffusers model folder: " + e.getMessage(), e);
        }
        ModelConfigs configs = config != null ? resolveConfig(config) : ModelConfigs.fromFolder(folder);
        Map<Component, List<PlannedTensor>> tensors = new EnumMap<>(Component.class);
        Map<Component, Map<String, SafetensorsReader>> readers = new EnumMap<>(Component.class);
        List<SafetensorsReader> opened = new ArrayList<>();
        Map<String, String> dropped = new LinkedHashMap<>();
        try {
            for (Component c : Component.values()) {
                WeightFiles files;
                try {
                    files = model.weights(c);
                } catch (ConfigException e) {
                    throw new ConversionException(folder.resolve(c.folder()), null, e.getMessage(), e);
                }
                Map<String, SafetensorsReader> byName = new LinkedHashMap<>();
                List<String> problems = new ArrayList<>();
                for (Path f : files.files()) {
                    SafetensorsReader r = CheckpointFiles.open(f);
                    opened.add(r);
                    for (String name : r.names()) {
                        SafetensorsReader prev = byName.putIfAbsent(name, r);
                        if (prev != null) problems.add("'" + name + "': in both " + prev.file().getFileName() + " and " + f.getFileName());
                    }
                }
                if (!problems.isEmpty()) throw new ConversionException(folder.resolve(c.folder()), problems);
                List<PlannedTensor> list = new ArrayList<>();
                byName.forEach((name, r) -> {
                    if (ExpectedParameters.optionalExtra(c, name)) {
                        dropped.put(c.folder() + "/" + name, "optional integer buffer (the text encoder recreates it)");
                    } else {
                        list.add(new PlannedTensor(c, name, r.info(name).shape(), name, Transform.COPY));
                    }
                });
                list.sort(java.util.Comparator.comparing(PlannedTensor::target));
                tensors.put(c, List.copyOf(list));
                readers.put(c, byName);
            }
            SourcePlan p = new SourcePlan(folder, configs, tensors, readers, opened, dropped,
                    tokenizerSource(tokenizer, folder, config));
            for (Component c : Component.values()) p.check(folder.resolve(c.folder()), c);
            return p;
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsReader::close);
            throw e;
        }
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
            if (!TokenizerWriter.isSource(given)) {
                throw new ConversionException(given, null, "--tokenizer must be a Hugging Face tokenizer folder "
                        + "(vocab.json + merges.txt) or CLIP's bpe_simple_vocab_16e6.txt.gz");
            }
            return given;
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(input)) candidates.add(input.resolve(TokenizerWriter.FOLDER));
        if (config != null && ModelConfigs.BuiltIn.parse(config) == null) candidates.add(Path.of(config).resolve(TokenizerWriter.FOLDER));
        for (Path c : candidates) if (Files.isDirectory(c) && TokenizerWriter.isSource(c)) return c;
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
        Map<String, long[]> expected = ExpectedParameters.of(c, configs);
        Map<String, long[]> actual = new LinkedHashMap<>();
        for (PlannedTensor p : tensors.getOrDefault(c, List.of())) actual.put(p.target(), p.shape());
        return ExpectedParameters.compare(c, expected, actual);
    }

    public Path input() { return input; }

    public ModelConfigs configs() { return configs; }

    public List<PlannedTensor> tensors(Component c) { return tensors.getOrDefault(c, List.of()); }

    /** The reader holding source tensor {@code sourceKey} of component {@code c}. */
    public SafetensorsReader reader(Component c, String sourceKey) { return readers.get(c).get(sourceKey); }

    /** Input keys deliberately not converted, with the reason. */
    public Map<String, String> dropped() { return Collections.unmodifiableMap(dropped); }

    public Path tokenizer() { return tokenizer; }

    /** The input's {@code model_index.json} when it has one. */
    public Path modelIndex() {
        Path p = input.resolve(ModelFolder.MODEL_INDEX);
        return Files.isDirectory(input) && Files.isRegularFile(p) ? p : null;
    }

    @Override
    public void close() {
        opened.forEach(SafetensorsReader::close);
    }
}

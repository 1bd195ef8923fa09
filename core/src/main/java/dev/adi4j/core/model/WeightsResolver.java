package dev.adi4j.core.model;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.config.Configs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Finds a component's safetensors weights: single file or sharded index, fp32 or fp16 variant. */
final class WeightsResolver {
    static final String CONVERT_HINT = "adi4j reads safetensors only (pickles can run code when loaded): convert "
            + "with `adi convert`, or re-save with diffusers/transformers save_pretrained(..., safe_serialization=True)";

    private WeightsResolver() {
    }

    static WeightFiles resolve(Path dir, String component, List<String> baseNames, WeightsVariant requested) {
        for (WeightsVariant v : List.of(requested, requested.other())) {
            for (String base : baseNames) {
                WeightFiles found = find(dir, component, base, v);
                if (found != null) {
                    String note = v == requested ? null : "requested " + requested + " weights ("
                            + requested.apply(base + ".safetensors") + ") not found in " + dir + "; using the "
                            + v + " file" + (found.sharded() ? "s" : " " + found.files().get(0).getFileName())
                            + (v == WeightsVariant.FP16 ? " (values are widened to float32 on load)" : "");
                    return new WeightFiles(component, found.files(), v, found.sharded(), note);
                }
            }
        }
        throw missing(dir, component, baseNames, requested);
    }

    private static WeightFiles find(Path dir, String component, String base, WeightsVariant v) {
        Path single = dir.resolve(v.apply(base + ".safetensors"));
        if (Files.isRegularFile(single)) return new WeightFiles(component, List.of(single), v, false, null);
        Path index = dir.resolve(v.apply(base + ".safetensors.index.json"));
        if (Files.isRegularFile(index)) return new WeightFiles(component, shards(index), v, true, null);
        return null;
    }

    /** The distinct files of an index's weight_map, in order of first appearance; each must exist. */
    static List<Path> shards(Path index) {
        JsonNode root;
        try {
            root = Configs.mapper().readTree(Files.readString(RegularFiles.require(index, "sharded-weights index",
                    (f, p) -> new ConfigException(f, null, p))));
        } catch (IOException e) {
            throw new ConfigException(index, null, "cannot read sharded-weights index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ConfigException(index, "weight_map", "expected a non-empty object {tensor name: shard file}");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ConfigException(index, "weight_map." + e.getKey(), "expected a shard file name, got " + e.getValue());
            }
            names.add(e.getValue().asText());
        }
        Path dir = index.getParent();
        List<Path> files = new ArrayList<>();
        for (String n : names) {
            Path p = dir.resolve(n).normalize();
            if (!p.getParent().equals(dir.normalize())) {
                throw new ConfigException(index, "weight_map", "shard '" + n + "' is not a plain file name in " + dir);
            }
            if (!Files.isRegularFile(p)) {
                throw new ModelFolderException(p, "shard listed in " + index.getFileName() + " is missing");
            }
            files.add(p);
        }
        return files;
    }

    private static ModelFolderException missing(Path dir, String component, List<String> baseNames, WeightsVariant v) {
        List<String> present = list(dir);
        List<String> pickles = present.stream().filter(WeightsResolver::isPickle).toList();
        String expected = String.join(" or ", baseNames.stream().map(b -> v.apply(b + ".safetensors")).toList());
        if (!pickles.isEmpty()) {
            return new ModelFolderException(dir, component + " weights are PyTorch pickle files only " + pickles
                    + ", no " + expected + " found; " + CONVERT_HINT);
        }
        List<String> other = present.stream().filter(n -> n.endsWith(".safetensors")).toList();
        return new ModelFolderException(dir, "no " + component + " weights: expected " + expected
                + " (or its fp16 variant, or a sharded .safetensors.index.json)"
                + (other.isEmpty() ? "" : "; found only differently named files " + other));
    }

    private static boolean isPickle(String name) {
        return name.endsWith(".bin") || name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth")
                || name.endsWith(".pkl");
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

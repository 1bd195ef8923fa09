package dev.adi4j.core.model;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.config.Configs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A diffusers {@code model_index.json}: the pipeline class and, per component, the {@code [library, class]}
 * pair that implements it. Components declared as {@code [null, null]} (e.g. a removed safety checker) are
 * kept in {@link #disabled()}; other non-underscore keys that are not pairs (e.g.
 * {@code requires_safety_checker}) are ignored.
 */
public record ModelIndex(String className, String diffusersVersion, Map<String, Component> components,
                         Set<String> disabled) {
    /** One component's implementing library and class, e.g. {@code ("diffusers", "UNet2DConditionModel")}. */
    public record Component(String library, String className) {
    }

    public ModelIndex {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
    }

    /** The component's entry, if the index declares one (not null). */
    public Optional<Component> component(String name) {
        return Optional.ofNullable(components.get(name));
    }

    /** Reads and checks a model_index.json; errors are {@link ConfigException}s naming the file and key. */
    public static ModelIndex read(Path file) {
        JsonNode root;
        try {
            if (Files.exists(file)) RegularFiles.require(file, "model_index.json", (f, p) -> new ConfigException(f, null, p));
            root = Configs.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, null, "file not found: a diffusers model folder needs model_index.json");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, null, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot read: " + e, e);
        }
        if (root == null || !root.isObject()) throw new ConfigException(file, null, "expected a JSON object");
        JsonNode cls = root.get("_class_name");
        if (cls == null || !cls.isTextual()) {
            throw new ConfigException(file, "_class_name", "required string field is missing");
        }
        JsonNode ver = root.get("_diffusers_version");
        Map<String, Component> comps = new LinkedHashMap<>();
        Set<String> off = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.startsWith("_") || !v.isArray()) continue;
            if (v.size() != 2) {
                throw new ConfigException(file, key, "expected a [library, class] pair, got " + v);
            }
            if (v.get(0).isNull() && v.get(1).isNull()) {
                off.add(key);
            } else if (v.get(0).isTextual() && v.get(1).isTextual()) {
                comps.put(key, new Component(v.get(0).asText(), v.get(1).asText()));
            } else {
                throw new ConfigException(file, key, "expected a [library, class] pair of strings, got " + v);
            }
        }
        return new ModelIndex(cls.asText(), ver != null && ver.isTextual() ? ver.asText() : null, comps, off);
    }
}

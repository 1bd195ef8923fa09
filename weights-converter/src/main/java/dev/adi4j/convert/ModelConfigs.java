package dev.adi4j.convert;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The config.json files written into a converted folder (kept as JSON trees so that every field of the
 * source survives) and their parsed records, which give the expected parameters and the rename geometry.
 */
public final class ModelConfigs {
    /** Names accepted by {@code --config} besides a folder. */
    public enum BuiltIn {
        /** stabilityai/stable-diffusion-2-1: 768 px, v-prediction. */
        SD21("sd21"),
        /** stabilityai/stable-diffusion-2-1-base: 512 px (unet sample_size 64), epsilon prediction. */
        SD21_BASE("sd21-base");

        private final String id;

        BuiltIn(String id) { this.id = id; }

        public String id() { return id; }

        /** Parses {@code sd21} / {@code sd21-base}; null for anything else. */
        public static BuiltIn parse(String s) {
            for (BuiltIn b : values()) if (b.id.equals(s)) return b;
            return null;
        }
    }


    private final Map<Component, ObjectNode> json;
    private final ObjectNode scheduler;
    private final String description;
    private final UNetConfig unet;
    private final VaeConfig vae;
    private final ClipTextConfig text;

    private ModelConfigs(Map<Component, ObjectNode> json, ObjectNode scheduler, String description, Path origin) {
        this.json = json;
        this.scheduler = scheduler;
        this.description = description;
        this.unet = parse(json.get(Component.UNET), UNetConfig.class, configFile(origin, Component.UNET));
        this.vae = parse(json.get(Component.VAE), VaeConfig.class, configFile(origin, Component.VAE));
        this.text = parse(json.get(Component.TEXT_ENCODER), ClipTextConfig.class, configFile(origin, Component.TEXT_ENCODER));
    }

    /** The published SD 2.1 configs embedded in this module. */
    public static ModelConfigs builtIn(BuiltIn which) {
        Map<Component, ObjectNode> json = new EnumMap<>(Component.class);
        json.put(Component.UNET, resource("unet_config.json"));
        json.put(Component.VAE, resource("vae_config.json"));
        json.put(Component.TEXT_ENCODER, resource("text_encoder_config.json"));
        ObjectNode scheduler = resource(ModelFolder.SCHEDULER_CONFIG);
        if (which == BuiltIn.SD21_BASE) {
            json.get(Component.UNET).put("sample_size", 64);
            scheduler.put("prediction_type", "epsilon");
        }
        return new ModelConfigs(json, scheduler, "built-in " + which.id(), Path.of("built-in:" + which.id()));
    }

    /**
     * Reads {@code unet/config.json}, {@code vae/config.json}, {@code text_encoder/config.json} and, when present,
     * {@code scheduler/scheduler_config.json} (else SD 2.1's) from a folder.
     */
    public static ModelConfigs fromFolder(Path folder) {
        Map<Component, ObjectNode> json = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            json.put(c, readObject(configFile(folder, c)));
        }
        Path sched = folder.resolve(ModelFolder.SCHEDULER).resolve(ModelFolder.SCHEDULER_CONFIG);
        ObjectNode scheduler = Files.isRegularFile(sched) ? readObject(sched) : resource(ModelFolder.SCHEDULER_CONFIG);
        SchedulerCheck.problem(scheduler).ifPresent(p -> {
            throw new ConversionException(Files.isRegularFile(sched) ? sched : Path.of("built-in scheduler_config.json"), null, p);
        });
        return new ModelConfigs(json, scheduler, "configs of " + folder, folder);
    }

    /** True when {@code folder} holds the three component configs. */
    public static boolean isConfigFolder(Path folder) {
        for (Component c : Component.values()) {
            if (!Files.isRegularFile(configFile(folder, c))) return false;
        }
        return true;
    }

    public UNetConfig unet() { return unet; }

    public VaeConfig vae() { return vae; }

    public ClipTextConfig text() { return text; }

    private static Path configFile(Path folder, Component c) {
        return folder.resolve(c.folder()).resolve(c.configFile());
    }

    /** The JSON written to {@code <component>/config.json}. */
    public ObjectNode json(Component c) { return json.get(c).deepCopy(); }

    /** The JSON written to {@code scheduler/scheduler_config.json}. */
    public ObjectNode scheduler() { return scheduler.deepCopy(); }

    /** Where the configs came from (for messages). */
    public String description() { return description; }

    /** The geometry the single-file rename rules need. */
    public SingleFileLayout.Geometry geometry() {
        return new SingleFileLayout.Geometry(unet.layersPerBlock(), vae.blockOutChannels().size(),
                text.maxPositionEmbeddings());
    }

    static ObjectNode resource(String name) {
        try (InputStream in = ModelConfigs.class.getResourceAsStream("sd21/" + name)) {
            if (in == null) throw new IllegalStateException("resource sd21/" + name + " missing from the jar");
            return (ObjectNode) Configs.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String name) {
        try (InputStream in = ModelConfigs.class.getResourceAsStream("sd21/" + name)) {
            if (in == null) throw new IllegalStateException("resource sd21/" + name + " missing from the jar");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode readObject(Path file) {
        RegularFiles.require(file, "config", (f, p) -> new ConversionException(f, null,
                p.equals("file not found") ? "config file not found" : p));
        JsonNode n;
        try {
            n = Configs.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConversionException(file, null, "not valid JSON: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) throw new ConversionException(file, null, "not a JSON object");
        return o;
    }

    private static <T> T parse(ObjectNode node, Class<T> type, Path origin) {
        try {
            return Configs.mapper().treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ConversionException(origin, null, "not a usable " + type.getSimpleName() + ": " + c.getMessage(), e);
        }
    }
}

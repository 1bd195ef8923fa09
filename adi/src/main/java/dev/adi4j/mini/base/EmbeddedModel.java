package dev.adi4j.mini.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mini world's trained base model, committed inside adi4j's jar: the default model of {@code adi generate},
 * {@code adi demo} and {@code adi actionbench mini}. Model folders are read from disk, so the first use unpacks it
 * into {@code -Dadi4j.cache} or {@code $ADI4J_CACHE} (default {@code ~/.cache/adi4j}) under a name holding the content's hash: a new build
 * with other weights unpacks beside the old one instead of mixing with it, and the move into place is atomic.
 */
public final class EmbeddedModel {
    /** Resource folder of the model; {@value #MANIFEST} in it lists the files of the model folder. */
    static final String RESOURCES = "/dev/adi4j/mini/model/";
    static final String MANIFEST = "files.txt";

    private EmbeddedModel() {
    }

    /** True when this build carries the embedded model (false only in a build made before it was trained). */
    public static boolean present() {
        return EmbeddedModel.class.getResource(RESOURCES + MANIFEST) != null;
    }

    /** The embedded model as a model folder on disk, unpacked on first use. */
    public static Path folder() {
        Map<String, byte[]> files = read();
        Path cache = cacheRoot();
        Path target = cache.resolve("mini-world-" + hash(files));
        if (Files.isRegularFile(target.resolve("model_index.json"))) return target;
        try {
            Files.createDirectories(cache);
            Path tmp = Files.createTempDirectory(cache, ".unpack-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = tmp.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException
                     | AtomicMoveNotSupportedException e) {
                // another process unpacked the same content first
                TrainingSession.deleteTree(tmp);
                if (!Files.isRegularFile(target.resolve("model_index.json"))) throw e;
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded mini-world model into " + target
                    + " (set ADI4J_CACHE to a writable folder): " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> read() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : manifest()) out.put(name, resource(name));
        return out;
    }

    private static List<String> manifest() {
        String text = new String(resource(MANIFEST), StandardCharsets.UTF_8);
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static byte[] resource(String name) {
        try (InputStream in = EmbeddedModel.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("this adi4j build has no embedded mini-world model (" + RESOURCES + name
                        + " missing); pass --model with a model folder");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCES + name + " from adi4j's jar", e);
        }
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.getValue());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cacheRoot() {
        String property = System.getProperty("adi4j.cache");
        if (property != null && !property.isBlank()) return Path.of(property);
        String env = System.getenv("ADI4J_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "adi4j");
    }

    /** The files of a model folder in manifest order (for writing {@value #MANIFEST} when the model is committed). */
    public static List<String> manifestOf(Path modelFolder) throws IOException {
        try (var walk = Files.walk(modelFolder)) {
            return walk.filter(Files::isRegularFile).map(p -> modelFolder.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}

package dev.adi4j.harness.golden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Loads each model folder once per golden run and closes them all at the end. */
public final class ModelCache implements AutoCloseable {
    private final Map<String, Object> models = new HashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public <T> T get(Class<T> type, Path folder, Function<Path, T> loader) {
        String key = type.getName() + "@" + folder.toAbsolutePath().normalize();
        return (T) models.computeIfAbsent(key, k -> {
            T m = loader.apply(folder);
            if (m instanceof AutoCloseable c) closeables.add(c);
            return m;
        });
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing read-only model files cannot lose anything
            }
        }
        closeables.clear();
        models.clear();
    }
}

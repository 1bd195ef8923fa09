package dev.adi4j.diffusion.nn;

import dev.adi4j.core.model.WeightFiles;
import dev.adi4j.core.safetensors.SafetensorsReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Open readers over every file of one component's weights (one file, or all shards). A network that loads
 * from them owns them and closes them in its own {@code close()}.
 */
public final class WeightReaders implements AutoCloseable {
    private final WeightFiles files;
    private final List<SafetensorsReader> readers;

    private WeightReaders(WeightFiles files, List<SafetensorsReader> readers) {
        this.files = files;
        this.readers = List.copyOf(readers);
    }

    /** Opens every file; if one fails, those already opened are closed again. */
    public static WeightReaders open(WeightFiles files) {
        List<SafetensorsReader> opened = new ArrayList<>();
        try {
            for (Path f : files.files()) opened.add(SafetensorsReader.open(f));
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsReader::close);
            throw e;
        }
        return new WeightReaders(files, opened);
    }

    public WeightFiles files() { return files; }

    public List<SafetensorsReader> readers() { return readers; }

    /** What weight errors name: the file, or for shards the folder holding them. */
    public Path source() { return source(readers); }

    static Path source(List<SafetensorsReader> readers) {
        Path first = readers.get(0).file();
        return readers.size() == 1 ? first : first.getParent();
    }

    @Override
    public void close() {
        readers.forEach(SafetensorsReader::close);
    }
}

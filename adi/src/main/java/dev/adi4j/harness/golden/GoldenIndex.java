package dev.adi4j.harness.golden;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.core.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A parsed golden-case index file. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GoldenIndex(String format, List<GoldenCase> cases) {
    public static final String FORMAT = "adi4j-golden-cases/1";

    public static GoldenIndex read(Path file) {
        GoldenIndex idx;
        try {
            RegularFiles.require(file, "golden-case index", (f, p) -> new ConfigException(f, null, p));
            idx = new ObjectMapper().readValue(file.toFile(), GoldenIndex.class);
        } catch (IOException e) {
            throw new ConfigException(file, null, "not a readable golden-case index: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(idx.format())) {
            throw new ConfigException(file, "format", "expected \"" + FORMAT + "\", got \"" + idx.format() + "\"");
        }
        if (idx.cases() == null || idx.cases().isEmpty()) {
            throw new ConfigException(file, "cases", "no cases listed");
        }
        return idx;
    }
}

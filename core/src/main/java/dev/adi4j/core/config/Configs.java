package dev.adi4j.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Binds diffusers/transformers {@code config.json} files to the config records of this package. */
public final class Configs {
    // diffusers writes configs with Python's json.dump, which emits -Infinity/NaN
    // (e.g. DPMSolverMultistepScheduler's lambda_min_clipped), so non-numeric numbers are accepted.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);

    private Configs() {
    }

    /** The shared mapper: unknown fields tolerated, a scalar accepted where a list is expected. */
    public static ObjectMapper mapper() { return JSON; }

    /**
     * Reads {@code file} as {@code type}. Errors name the file and, where Jackson knows it, the field.
     */
    public static <T> T read(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, null, "file not found");
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot read: " + e, e);
        }
        try {
            return JSON.readValue(text, type);
        } catch (MismatchedInputException e) {
            throw new ConfigException(file, fieldPath(e), cleanMessage(e), e);
        } catch (JsonMappingException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            if (root instanceof ConfigException ce) {
                throw new ConfigException(file, fieldPath(e), ce.getMessage(), e);
            }
            throw new ConfigException(file, fieldPath(e), cleanMessage(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String fieldPath(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) return null;
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String cleanMessage(JsonMappingException e) {
        Throwable c = e.getCause();
        if (c instanceof IllegalArgumentException && c.getMessage() != null) return c.getMessage();
        String m = e.getOriginalMessage();
        int cut = m.indexOf("\n at [");
        return cut >= 0 ? m.substring(0, cut) : m;
    }

    /** Throws the "missing required field" error used by the records' constructors. */
    static <T> T require(T value, String field) {
        if (value == null) throw new IllegalArgumentException("required field '" + field + "' is missing");
        return value;
    }
}

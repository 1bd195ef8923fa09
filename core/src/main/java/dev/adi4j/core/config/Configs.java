package dev.adi4j.core.config;

import dev.adi4j.core.io.RegularFiles;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            text = Files.readString(RegularFiles.require(file, "config", (f, p) -> new ConfigException(f, null, p)));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, null, "file not found");
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot read: " + e, e);
        }
        T value;
        try {
            value = JSON.readValue(text, type);
        } catch (MismatchedInputException e) {
            throw new ConfigException(file, fieldPath(e), typeMessage(e), e);
        } catch (JsonMappingException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            if (root instanceof FieldException fe) {
                throw new ConfigException(file, fe.field, fe.getMessage(), e);
            }
            if (root instanceof ConfigException ce) {
                throw new ConfigException(file, fieldPath(e), ce.getMessage(), e);
            }
            throw new ConfigException(file, fieldPath(e), cleanMessage(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (value == null) throw new ConfigException(file, null, "holds JSON null, expected an object");
        return value;
    }

    private static String fieldPath(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) return null;
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).substring(1);
    }

    private static final Pattern GOT = Pattern.compile("from (String \"[^\"]*\"|[A-Za-z]+ value)");

    /** "expected an integer, got String "abc"" instead of Jackson's class-name-laden text. */
    private static String typeMessage(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        Matcher m = GOT.matcher(String.valueOf(e.getOriginalMessage()));
        if (t == null || !m.find()) return cleanMessage(e);
        String expected = t == Integer.class || t == int.class || t == Long.class ? "an integer"
                : t == Double.class || t == Float.class ? "a number"
                : t == Boolean.class ? "true or false"
                : t == String.class ? "a string"
                : List.class.isAssignableFrom(t) ? "a list"
                : t.getSimpleName();
        return "expected " + expected + ", got " + m.group(1);
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
        if (value == null) throw new FieldException(field, "required field is missing");
        return value;
    }

    /** A list field that must be present, non-empty and hold only positive numbers. */
    static List<Integer> requirePositive(List<Integer> value, String field) {
        require(value, field);
        if (value.isEmpty()) throw new FieldException(field, "must not be empty");
        for (Integer v : value) {
            if (v == null || v <= 0) throw new FieldException(field, "must hold positive integers, got " + value);
        }
        return value;
    }

    /** A number that must be present and positive. */
    static Integer requirePositive(Integer value, String field) {
        require(value, field);
        if (value <= 0) throw new FieldException(field, "must be positive, got " + value);
        return value;
    }

    /** Two per-level lists whose lengths must agree. */
    static void sameLength(List<?> a, String fieldA, List<?> b, String fieldB) {
        if (a.size() != b.size()) {
            throw new FieldException(fieldA, "has " + a.size() + " entries but " + fieldB + " has " + b.size());
        }
    }

    /**
     * A validation failure inside a record constructor, tied to one JSON field; {@link #read} turns it into a
     * {@link ConfigException} naming the file and that field.
     */
    static final class FieldException extends IllegalArgumentException {
        final String field;

        FieldException(String field, String problem) {
            super(problem);
            this.field = field;
        }
    }

    /** Jackson's message in one line: without its multi-line source excerpt, plus the column where it knows it. */
    public static String oneLine(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        for (String cut : new String[]{"\n", " (start marker", "[Source"}) {
            int at = m.indexOf(cut);
            if (at >= 0) m = m.substring(0, at);
        }
        return e.getLocation() == null ? m.strip() : m.strip() + " at column " + e.getLocation().getColumnNr();
    }
}

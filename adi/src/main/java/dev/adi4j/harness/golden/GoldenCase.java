package dev.adi4j.harness.golden;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One entry of a golden-case index (format {@code adi4j-golden-cases/1}). Paths are relative to the index
 * file's folder.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GoldenCase(
        String name,
        String kind,
        String file,
        String model,
        List<String> inputs,
        List<String> outputs,
        Double tolerance,
        String scheduler,
        String configs,
        String vocab,
        @JsonProperty("added_tokens") List<String> addedTokens,
        Map<String, Object> params) {

    public GoldenCase {
        inputs = inputs == null ? List.of() : inputs;
        outputs = outputs == null ? List.of() : outputs;
        params = params == null ? Map.of() : params;
    }

    public double tol() {
        return tolerance == null ? 0.0 : tolerance;
    }
}

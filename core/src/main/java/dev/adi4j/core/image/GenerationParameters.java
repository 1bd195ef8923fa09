package dev.adi4j.core.image;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Formats the A1111-style {@code "parameters"} text: the prompt, an optional
 * {@code "Negative prompt: ..."} line, then one line of {@code "Key: value"} pairs separated by ", ".
 */
public final class GenerationParameters {
    private GenerationParameters() {
    }

    /** E.g. {@code format("a cat", "blurry", {"Steps": "20", "Seed": "42"})}. */
    public static String format(String prompt, String negativePrompt, Map<String, String> settings) {
        StringBuilder s = new StringBuilder(prompt == null ? "" : prompt);
        if (negativePrompt != null && !negativePrompt.isEmpty()) s.append("\nNegative prompt: ").append(negativePrompt);
        if (!settings.isEmpty()) {
            s.append('\n').append(settings.entrySet().stream()
                    .map(e -> e.getKey() + ": " + quoteIfNeeded(e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    /** Values holding the separators are quoted, as A1111 does, so the line stays parseable. */
    private static String quoteIfNeeded(String v) {
        if (v.contains(",") || v.contains(":") || v.contains("\n") || v.contains("\"")) {
            return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        return v;
    }
}

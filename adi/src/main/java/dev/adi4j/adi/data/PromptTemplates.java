package dev.adi4j.adi.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Training prompt templates. {@code {}} marks where the placeholder token (e.g. {@code <A>}) goes: where the
 * action is said, after the person ("a photo of a person {}" reads "a photo of a person &lt;A&gt;").
 * {@code {caption}} is replaced by the image's caption, which describes the person and scene, not the action
 * (e.g. "a man in a red jacket"); a template using it stands in for "a person", so the caption's words explain
 * the appearance and the identifier is left to explain the action. Such templates are drawn only for images
 * that have a caption; the others are drawn for every image.
 */
public final class PromptTemplates {
    /** The placeholder slot. */
    public static final String SLOT = "{}";
    /** The caption slot. */
    public static final String CAPTION = "{caption}";

    /** Defaults: person templates for every image, caption templates for captioned ones. */
    public static final List<String> DEFAULTS = List.of(
            "a photo of a person {}",
            "a picture of a person {}",
            "a good photo of a person {}",
            "a bright photo of a person {}",
            "a photo of {caption} {}",
            "a picture of {caption} {}");

    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");

    private final List<String> templates;

    private PromptTemplates(List<String> templates) {
        this.templates = List.copyOf(templates);
    }

    /** {@link #DEFAULTS}. */
    public static PromptTemplates defaults() {
        return of(DEFAULTS);
    }

    /**
     * Checks and keeps a template list: each must hold {@code {}} exactly once and no braces other than
     * {@code {}} and {@code {caption}} (a typo such as {@code {captions}} would otherwise reach the prompt).
     */
    public static PromptTemplates of(List<String> templates) {
        if (templates.isEmpty()) throw new IllegalArgumentException("no prompt templates given (expected at least one, "
                + "e.g. \"a photo of a person {}\")");
        for (String t : templates) validate(t);
        return new PromptTemplates(templates);
    }

    /** Throws an IllegalArgumentException naming the template if it is not usable. */
    public static void validate(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("empty prompt template (expected text with {} where the action goes)");
        }
        String q = "prompt template \"" + template + "\"";
        Matcher m = BRACES.matcher(template);
        int slots = 0;
        while (m.find()) {
            if (m.group().equals(SLOT)) slots++;
            else if (!m.group().equals(CAPTION)) {
                throw new IllegalArgumentException(q + ": unknown " + m.group() + " (expected only {} and {caption})");
            }
        }
        String rest = BRACES.matcher(template).replaceAll("");
        if (rest.contains("{") || rest.contains("}")) {
            throw new IllegalArgumentException(q + ": unbalanced brace (expected only {} and {caption})");
        }
        if (slots == 0) throw new IllegalArgumentException(q + " has no {} (expected {} where the placeholder goes)");
        if (slots > 1) throw new IllegalArgumentException(q + " has " + slots + " {} (expected exactly one)");
    }

    public List<String> templates() {
        return templates;
    }

    /** True when every template needs a caption, so images without one could not be prompted. */
    public boolean needsCaptions() {
        return templates.stream().allMatch(PromptTemplates::usesCaption);
    }

    public static boolean usesCaption(String template) {
        return template.contains(CAPTION);
    }

    /** The templates usable for an image with ({@code hasCaption}) or without a caption. */
    public List<String> usable(boolean hasCaption) {
        List<String> out = new ArrayList<>();
        for (String t : templates) if (hasCaption || !usesCaption(t)) out.add(t);
        return out;
    }

    /** A uniform choice among {@link #usable(boolean)}; fails if none is usable. */
    public String choose(RandomGenerator rng, boolean hasCaption) {
        List<String> u = usable(hasCaption);
        if (u.isEmpty()) {
            throw new IllegalArgumentException("every prompt template uses {caption} but the image has no caption "
                    + "(add a template without {caption} or captions for every image)");
        }
        return u.get(rng.nextInt(u.size()));
    }

    /** A seeded choice filled in: {@code prompt(choose(rng, caption != null), placeholder, caption)}. */
    public String prompt(RandomGenerator rng, String placeholder, String caption) {
        return prompt(choose(rng, caption != null), placeholder, caption);
    }

    /**
     * Fills a template: {@code {}} becomes the placeholder, {@code {caption}} the caption (whitespace collapsed, a
     * final full stop dropped, as captions are often written as sentences).
     */
    public static String prompt(String template, String placeholder, String caption) {
        validate(template);
        if (placeholder == null || placeholder.isBlank()) {
            throw new IllegalArgumentException("placeholder token is empty (expected e.g. <A>)");
        }
        if (usesCaption(template) && (caption == null || caption.isBlank())) {
            throw new IllegalArgumentException("prompt template \"" + template + "\" uses {caption} but no caption was given");
        }
        // Literal replacement: a caption holding "{}" must not become a second placeholder slot.
        int at = template.indexOf(SLOT);
        String before = template.substring(0, at), after = template.substring(at + SLOT.length());
        String c = caption == null ? "" : normalizeCaption(caption);
        return before.replace(CAPTION, c) + placeholder + after.replace(CAPTION, c);
    }

    static String normalizeCaption(String caption) {
        String c = caption.strip().replaceAll("\\s+", " ");
        return c.endsWith(".") ? c.substring(0, c.length() - 1).stripTrailing() : c;
    }
}

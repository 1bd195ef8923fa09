package dev.adi4j.adi.mask;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What is learned and which gradient mask is applied: Textual Inversion (one identifier, no mask), P+
 * (one identifier per cross-attention layer, no mask), or ADI with one of its mask merges
 * (docs/adi-method.md, "The update rule, exactly").
 */
public enum MaskMethod {
    TI("ti"),
    PPLUS("pplus"),
    ADI("adi"),
    ADI_UNION("adi-union"),
    ADI_CONTEXT_ONLY("adi-context-only"),
    ADI_ACTION_ONLY("adi-action-only");

    private final String cliName;

    MaskMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in golden-case params. */
    public String cliName() {
        return cliName;
    }

    /** True when the update applies a gradient mask (and so needs the context and action gradients). */
    public boolean usesMasks() {
        return this != TI && this != PPLUS;
    }

    /** True when one identifier is learned per cross-attention layer; only Textual Inversion shares one. */
    public boolean layerWise() {
        return this != TI;
    }

    /** Parses a {@link #cliName()} (case-insensitive, surrounding blanks ignored). */
    public static MaskMethod parse(String name) {
        if (name != null) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (MaskMethod m : values()) {
                if (m.cliName.equals(n)) return m;
            }
        }
        throw new IllegalArgumentException("unknown method " + (name == null ? "null" : "'" + name + "'")
                + "; valid methods: " + validNames());
    }

    /** The valid names, comma-separated, for error and help messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(MaskMethod::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

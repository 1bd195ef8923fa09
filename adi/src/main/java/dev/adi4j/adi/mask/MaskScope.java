package dev.adi4j.adi.mask;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Over which values the masking quantiles are taken: each identifier row (layer) on its own, or all
 * L x D values of the identifiers together.
 */
public enum MaskScope {
    TOKEN("token"),
    GLOBAL("global");

    private final String cliName;

    MaskScope(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in golden-case params. */
    public String cliName() {
        return cliName;
    }

    /** Parses a {@link #cliName()} (case-insensitive, surrounding blanks ignored). */
    public static MaskScope parse(String name) {
        if (name != null) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (MaskScope s : values()) {
                if (s.cliName.equals(n)) return s;
            }
        }
        throw new IllegalArgumentException("unknown mask scope " + (name == null ? "null" : "'" + name + "'")
                + "; valid scopes: " + Arrays.stream(values()).map(MaskScope::cliName)
                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

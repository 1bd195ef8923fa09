package dev.adi4j.adi.train;

import dev.adi4j.adi.mask.MaskMethod;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What {@code adi train --method} learns: identifiers by Textual Inversion, P+, ADI and its ablations (all through
 * the same objective, differing only in the gradient masks), or a Custom Diffusion model (key/value projections of
 * the cross-attention layers plus one token).
 */
public enum TrainMethod {
    TI(MaskMethod.TI),
    PPLUS(MaskMethod.PPLUS),
    ADI(MaskMethod.ADI),
    ADI_UNION(MaskMethod.ADI_UNION),
    ADI_CONTEXT_ONLY(MaskMethod.ADI_CONTEXT_ONLY),
    ADI_ACTION_ONLY(MaskMethod.ADI_ACTION_ONLY),
    CUSTOM_DIFFUSION(null);

    private final MaskMethod masks;

    TrainMethod(MaskMethod masks) {
        this.masks = masks;
    }

    public String cliName() {
        return this == CUSTOM_DIFFUSION ? "custom-diffusion" : masks.cliName();
    }

    /** The gradient-mask rule of an identifier method; null for Custom Diffusion. */
    public MaskMethod maskMethod() { return masks; }

    /** Whether a step needs the context-different sample (another exemplar). */
    public boolean needsContextSample() {
        return masks != null && masks.usesMasks() && masks != MaskMethod.ADI_ACTION_ONLY;
    }

    /** Whether a step needs the anchor's action-different sample (made before training). */
    public boolean needsActionSample() {
        return masks != null && masks.usesMasks() && masks != MaskMethod.ADI_CONTEXT_ONLY;
    }

    public static TrainMethod parse(String name) {
        for (TrainMethod m : values()) if (m.cliName().equals(name)) return m;
        throw new IllegalArgumentException("unknown method '" + name + "', expected one of " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(TrainMethod::cliName).collect(Collectors.joining(", "));
    }
}

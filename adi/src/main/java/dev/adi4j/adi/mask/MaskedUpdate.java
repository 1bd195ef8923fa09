package dev.adi4j.adi.mask;

import dev.adi4j.adi.optim.AdamW;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * One ADI update of the identifiers: masks from the three gradients, merge per method, then an AdamW step
 * on the masked gradient for every channel, masked or not (the paper overwrites the gradient, not the
 * optimizer). Checked against the adi_update goldens by {@link dev.adi4j.adi.mask.AdiUpdateReplay}.
 */
public final class MaskedUpdate {
    private final GradientMasks masks;
    private final AdamW optimizer;

    public MaskedUpdate(GradientMasks masks, AdamW optimizer) {
        this.masks = Objects.requireNonNull(masks, "masks");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    public GradientMasks masks() {
        return masks;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Masks and applies one step to {@code identifiers} [L, D] (in place) under AdamW state {@code name}.
     * For TI and P+ the context and action gradients may be null (they are then not computed); when given,
     * the two rule masks are computed for logging although the update does not use them.
     */
    public GradientMasks.Result step(String name, INDArray identifiers, INDArray gAnchor, INDArray gContext,
                                     INDArray gAction, double lr) {
        GradientMasks.Result r;
        if (gContext == null && gAction == null && !masks.method().usesMasks()) {
            r = masks.passThrough(gAnchor);
        } else {
            if (gContext == null || gAction == null) {
                throw new IllegalArgumentException("method " + masks.method()
                        + " needs both the context and the action gradient"
                        + (masks.method().usesMasks() ? "" : " (or neither)"));
            }
            r = masks.compute(gAnchor, gContext, gAction);
        }
        optimizer.step(name, identifiers, r.maskedGradient(), lr);
        return r;
    }
}

package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Tensor;

import java.util.List;

/**
 * The encoder hidden states each cross-attention layer receives, handed out in forward execution order
 * (down -> mid -> up). Either one context shared by all layers, or one per layer (layer-wise identifiers).
 */
public final class Contexts {
    private final List<Tensor> perLayer;
    private int next;

    private Contexts(List<Tensor> perLayer) {
        this.perLayer = perLayer;
    }

    /** The same context for every cross-attention layer. */
    public static Contexts shared(Tensor context) {
        return new Contexts(List.of(context));
    }

    /** Context k for the k-th cross-attention layer in execution order. */
    public static Contexts layerWise(List<Tensor> contexts) {
        return new Contexts(List.copyOf(contexts));
    }

    /** The context for the next cross-attention layer. */
    Tensor next() {
        if (perLayer.size() == 1) return perLayer.get(0);
        if (next >= perLayer.size()) {
            throw new IllegalStateException("the UNet has more cross-attention layers than the "
                    + perLayer.size() + " contexts given");
        }
        return perLayer.get(next++);
    }

    /** Throws unless every per-layer context was consumed. */
    void checkAllUsed() {
        if (perLayer.size() > 1 && next != perLayer.size()) {
            throw new IllegalStateException(perLayer.size() + " layer-wise contexts given but the UNet has "
                    + next + " cross-attention layers");
        }
    }
}

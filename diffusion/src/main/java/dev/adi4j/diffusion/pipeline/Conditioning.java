package dev.adi4j.diffusion.pipeline;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * What the UNet's cross-attention layers see for one prompt: one context [1, L, D] shared by every layer, or one
 * per layer in forward execution order (layer-wise identifiers, as ADI learns them).
 */
public record Conditioning(List<INDArray> perLayer) {
    public Conditioning {
        if (perLayer == null || perLayer.isEmpty()) throw new IllegalArgumentException("no context given");
        perLayer = List.copyOf(perLayer);
    }

    public static Conditioning shared(INDArray context) {
        return new Conditioning(List.of(context));
    }

    public static Conditioning layerWise(List<INDArray> contexts) {
        return new Conditioning(contexts);
    }

    public boolean isLayerWise() { return perLayer.size() > 1; }

    /** The context of cross-attention layer k (the shared one when not layer-wise). */
    public INDArray layer(int k) {
        return perLayer.size() == 1 ? perLayer.get(0) : perLayer.get(k);
    }
}

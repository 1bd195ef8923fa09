package dev.adi4j.adi.train;

import dev.adi4j.adi.data.ActionDataset;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The training set as the loop uses it: per exemplar its scaled latent (and the mirrored one when random flips are
 * on), and, for ADI, the latent of its action-different sample. Built once before the first step.
 */
public record PreparedData(ActionDataset dataset, List<INDArray> latents, List<INDArray> flippedLatents,
                           List<INDArray> actionLatents, List<INDArray> flippedActionLatents) {

    /** Encodes (or reads from the cache) everything the method needs. */
    public static PreparedData prepare(ActionDataset data, LatentCache cache, ActionDifferentSource actionDifferent,
                                       TrainListener listener) {
        List<INDArray> images = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) images.add(data.image(i, false));
        listener.message("encoding " + images.size() + " training images into the UNet's space (cached) ...");
        List<INDArray> latents = cache.latents("exemplars", images);
        List<INDArray> flipped = data.options().randomFlip() ? cache.latents("exemplars-flipped", flip(images)) : List.of();
        List<INDArray> action = List.of();
        List<INDArray> actionFlipped = List.of();
        if (actionDifferent != null) {
            List<INDArray> actionImages = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                listener.message("action-different sample " + (i + 1) + "/" + data.size() + " ...");
                actionImages.add(actionDifferent.image(i));
            }
            action = cache.latents("action-different", actionImages);
            if (data.options().randomFlip()) actionFlipped = cache.latents("action-different-flipped", flip(actionImages));
        }
        return new PreparedData(data, latents, flipped, action, actionFlipped);
    }

    /** The latent of exemplar i as drawn (mirrored or not). */
    public INDArray latent(int i, boolean flipped) {
        return flipped ? flippedLatents.get(i) : latents.get(i);
    }

    /** The action-different latent of anchor i, mirrored like the anchor. */
    public INDArray actionLatent(int i, boolean flipped) {
        return flipped ? flippedActionLatents.get(i) : actionLatents.get(i);
    }

    private static List<INDArray> flip(List<INDArray> images) {
        List<INDArray> out = new ArrayList<>();
        for (INDArray img : images) out.add(ActionDataset.flipHorizontally(img));
        return out;
    }
}

package dev.adi4j.core.model;

import java.nio.file.Path;
import java.util.List;

/**
 * The resolved safetensors file(s) of one component.
 *
 * @param component component name, e.g. "unet"
 * @param files     one file, or the shards of a sharded checkpoint in weight-map order of first appearance
 * @param variant   the variant actually found
 * @param sharded   whether {@code files} came from a {@code *.safetensors.index*.json}
 * @param note      why the requested variant was not used, or null when it was
 */
public record WeightFiles(String component, List<Path> files, WeightsVariant variant, boolean sharded, String note) {
    public WeightFiles {
        files = List.copyOf(files);
    }

    /** True when the requested variant was missing and the other one was taken. */
    public boolean fellBack() { return note != null; }
}

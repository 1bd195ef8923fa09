package dev.adi4j.convert;

import java.util.List;

/** What the rename rules say about one key of a single-file checkpoint. */
public sealed interface KeyMapping {
    /** The key becomes these target tensors (usually one; three for a fused q/k/v projection). */
    record Mapped(List<Rename> renames) implements KeyMapping {
        public Mapped {
            renames = List.copyOf(renames);
        }
    }

    /** The key is deliberately not converted (SD 2.1 does not use it); {@code reason} says why. */
    record Dropped(String reason) implements KeyMapping {
    }

    /** No rule knows the key; {@code why} says what was expected instead. */
    record Unknown(String why) implements KeyMapping {
    }

    static KeyMapping one(String target) { return new Mapped(List.of(Rename.copy(target))); }

    static KeyMapping one(String target, Transform t) { return new Mapped(List.of(new Rename(target, t))); }
}
